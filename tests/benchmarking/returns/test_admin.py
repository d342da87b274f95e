from django.urls import reverse

from benchmarking import services
from benchmarking.models import Return, Value
from tests.benchmarking.factories import return_rows, to_csv


def test_administrator_browses_benchmarking_admin_and_every_version_of_a_value(
    world, quarter, client_for
):
    services.return_upload(
        actor=world.users["performance_lead"],
        period=quarter,
        file_name="r.csv",
        data=to_csv(return_rows(world.home_la, quarter)),
        local_authority=world.home_la,
    )
    client = client_for(world.users["admin"])
    for model in ["indicator", "validationrule", "period", "returnwindow", "return", "value"]:
        url = reverse(f"admin:benchmarking_{model}_changelist")
        assert client.get(url).status_code == 200, model
    for model in ["upload", "chaseemail"]:
        assert client.get(reverse(f"admin:benchmarking_{model}_changelist")).status_code == 200
    value = Value.objects.get(indicator__code="REF_RATE")
    history = client.get(reverse("admin:benchmarking_value_history", args=[value.pk]))
    assert "Pat Lewis" in history.content.decode()
    ret = Return.objects.get()
    assert (
        client.get(reverse("admin:benchmarking_return_history", args=[ret.pk])).status_code == 200
    )
    # Returns change only through the services, never by editing in the admin.
    response = client.post(reverse("admin:benchmarking_return_change", args=[ret.pk]), {})
    assert response.status_code == 403

"""Forms for candidate priorities for a region's next plan."""

from django import forms

from sli_portal.forms import GovukForm

from ..models import PlanStatus, Theme


class AdoptForm(GovukForm):
    required_messages = {
        "theme": "Choose the theme to put it in",
    }

    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        label="Into theme",
        help_text="The candidate becomes a priority at the end of this theme.",
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = (
            Theme.objects.filter(plan__region=region)
            .exclude(plan__status=PlanStatus.ARCHIVED)
            .select_related("plan")
            .order_by("-plan__is_current", "plan__title", "position")
        )
        self.fields["theme"].label_from_instance = lambda t: f"{t.plan.title}: {t.title}"

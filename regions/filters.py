import django_filters
from django import forms

from .models import LAType, LocalAuthority, Region


class LocalAuthorityFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="Name contains"
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("name"), empty_label="All regions"
    )
    la_type = django_filters.ChoiceFilter(
        choices=LAType.choices, label="Type", empty_label="All types"
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("region__name", "region"),
            ("gss_code", "gss_code"),
            ("dfe_code", "dfe_code"),
            ("la_type", "la_type"),
        ),
        field_labels={
            "name": "Name (A to Z)",
            "-name": "Name (Z to A)",
            "region__name": "Region (A to Z)",
            "-region__name": "Region (Z to A)",
            "gss_code": "GSS code",
            "-gss_code": "GSS code (descending)",
            "dfe_code": "DfE number",
            "-dfe_code": "DfE number (descending)",
            "la_type": "Type",
            "-la_type": "Type (descending)",
        },
        label="Sort by",
        empty_label=None,
        null_label=None,
    )

    class Meta:
        model = LocalAuthority
        fields = ["name", "region", "la_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["name"].widget = forms.TextInput(attrs={"type": "search"})

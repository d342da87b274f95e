from django.urls import path

from .views import (
    actions,
    candidates,
    funding,
    geography,
    groups,
    offboarding,
    people,
    plans,
    priorities,
    public,
    updates,
    votes,
)

app_name = "regions"

urlpatterns = [
    # Geography
    path("regions/", geography.region_list, name="region_list"),
    path("regions/<slug:slug>/", geography.region_detail, name="region_detail"),
    path("las/", geography.la_list, name="la_list"),
    path("las/<slug:slug>/", geography.la_detail, name="la_detail"),
    # People
    path("regions/<slug:slug>/invite/", people.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/resend/", people.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", people.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", people.invitation_accept, name="invitation_accept"),
    path("roles/<int:pk>/end/", offboarding.membership_end, name="membership_end"),
    # Plans and their annexes
    path("plans/", plans.plan_home, name="plan_home"),
    path("regions/<slug:slug>/plans/", plans.plan_list, name="plan_list"),
    path("regions/<slug:slug>/plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_update, name="plan_update"),
    path("plans/<int:pk>/history/", plans.plan_history, name="plan_history"),
    path("plans/<int:pk>/print/", plans.plan_print, name="plan_print"),
    path("plans/<int:pk>/plan.pdf", plans.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/plan.xlsx", plans.plan_xlsx, name="plan_xlsx"),
    path("plans/<int:pk>/annexes/new/", plans.attachment_create, name="attachment_create"),
    path("annexes/<int:pk>/", plans.attachment_download, name="attachment_download"),
    path("annexes/<int:pk>/delete/", plans.attachment_delete, name="attachment_delete"),
    # Themes, priorities and progress
    path("plans/<int:pk>/themes/new/", priorities.theme_create, name="theme_create"),
    path("themes/<int:pk>/edit/", priorities.theme_update, name="theme_update"),
    path("themes/<int:pk>/delete/", priorities.theme_delete, name="theme_delete"),
    path("themes/<int:pk>/move/", priorities.theme_move, name="theme_move"),
    path("plans/<int:pk>/priorities/new/", priorities.priority_create, name="priority_create"),
    path("plans/<int:pk>/renumber/", priorities.priorities_renumber, name="priorities_renumber"),
    path("priorities/<int:pk>/", priorities.priority_detail, name="priority_detail"),
    path("priorities/<int:pk>/edit/", priorities.priority_update, name="priority_update"),
    path("priorities/<int:pk>/delete/", priorities.priority_delete, name="priority_delete"),
    path("priorities/<int:pk>/move/", priorities.priority_move, name="priority_move"),
    path("priorities/<int:pk>/progress/new/", priorities.progress_create, name="progress_create"),
    # Actions
    path("priorities/<int:pk>/actions/new/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", actions.action_update, name="action_update"),
    path("actions/<int:pk>/status/", actions.action_status, name="action_status"),
    path("actions/<int:pk>/delete/", actions.action_delete, name="action_delete"),
    # Funding
    path("plans/<int:pk>/funding/", funding.funding_list, name="funding_list"),
    path("plans/<int:pk>/funding/new/", funding.funding_create, name="funding_create"),
    path("funding/<int:pk>/edit/", funding.funding_update, name="funding_update"),
    path("funding/<int:pk>/delete/", funding.funding_delete, name="funding_delete"),
    # Groups
    path("regions/<slug:slug>/groups/", groups.group_list, name="group_list"),
    path("regions/<slug:slug>/groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", groups.group_update, name="group_update"),
    path("groups/<int:pk>/accounts/new/", groups.group_account_create, name="group_account_create"),
    # Votes
    path("regions/<slug:slug>/votes/", votes.vote_list, name="vote_list"),
    path("regions/<slug:slug>/votes/new/", votes.vote_create, name="vote_create"),
    path("votes/<int:pk>/", votes.vote_detail, name="vote_detail"),
    path("votes/<int:pk>/ballot/", votes.vote_cast, name="vote_cast"),
    path("votes/<int:pk>/delegate/", votes.vote_delegate, name="vote_delegate"),
    path("votes/<int:pk>/close/", votes.vote_close, name="vote_close"),
    path("candidates/<int:pk>/promote/", votes.candidate_promote, name="candidate_promote"),
    # Candidate priorities for the next plan
    path(
        "candidate-priorities/<int:pk>/adopt/",
        candidates.candidate_priority_adopt,
        name="candidate_priority_adopt",
    ),
    # Regional updates (signed in)
    path("updates/", updates.update_home, name="update_home"),
    path("regions/<slug:slug>/updates/", updates.update_list, name="update_list"),
    path("regions/<slug:slug>/updates/start/", updates.update_start, name="update_start"),
    path("regions/<slug:slug>/public-pages/", updates.public_settings, name="public_settings"),
    path("updates/<int:pk>/", updates.update_detail, name="update_detail"),
    path("updates/<int:pk>/edit/", updates.update_edit, name="update_edit"),
    path("updates/<int:pk>/publish/", updates.update_publish, name="update_publish"),
    path("updates/<int:pk>/unpublish/", updates.update_unpublish, name="update_unpublish"),
    path("updates/<int:pk>/send/", updates.update_send, name="update_send"),
    path("updates/<int:pk>/emails/", updates.update_emails, name="update_emails"),
    path("updates/<int:pk>/update.pdf", updates.update_pdf, name="update_pdf"),
    # A region's public pages (no login)
    path("public/<slug:slug>/", public.public_region, name="public_region"),
    path("public/<slug:slug>/feed/", public.public_feed, name="public_feed"),
    path("public/<slug:slug>/updates/<int:pk>/", public.public_update, name="public_update"),
    path(
        "public/<slug:slug>/updates/<int:pk>/update.pdf",
        public.public_update_pdf,
        name="public_update_pdf",
    ),
    path("public/<slug:slug>/tags/<slug:tag>/", public.public_tag, name="public_tag"),
    path(
        "public/<slug:slug>/tags/<slug:tag>/feed/", public.public_tag_feed, name="public_tag_feed"
    ),
    path("public/<slug:slug>/subscribe/", public.subscribe, name="subscribe"),
    path(
        "public/<slug:slug>/subscribe/<str:token>/",
        public.subscribe_confirm,
        name="subscribe_confirm",
    ),
    path("public/<slug:slug>/unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
]

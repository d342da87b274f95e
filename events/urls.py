from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("dates-to-avoid/", views.external_dates, name="external_dates"),
    path(
        "dates-to-avoid/<int:pk>/delete/",
        views.external_date_delete,
        name="external_date_delete",
    ),
    path("calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("<int:pk>/places/", views.allocations, name="allocations"),
    path("<int:pk>/registrations/", views.registrations, name="registrations"),
    path("<int:pk>/allocate-workshops/", views.workshop_allocate, name="workshop_allocate"),
    path("<int:pk>/export/<slug:what>.<slug:fmt>", views.export, name="export"),
    path("<int:pk>/register/<slug:la_slug>/", views.delegate_create, name="delegate_create"),
    path("<int:pk>/register-me/", views.register_self, name="register_self"),
    path("delegates/<int:pk>/edit/", views.delegate_edit, name="delegate_edit"),
    path("delegates/<int:pk>/substitute/", views.delegate_substitute, name="delegate_substitute"),
    path("delegates/<int:pk>/cancel/", views.delegate_cancel, name="delegate_cancel"),
    path("delegates/<int:pk>/check-in/", views.delegate_check_in, name="delegate_check_in"),
    path(
        "<int:pk>/workshops/<int:session_pk>/",
        views.workshop_register,
        name="workshop_register",
    ),
    path("workshop-places/<int:pk>/check-in/", views.workshop_check_in, name="workshop_check_in"),
    path("<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("<int:pk>/reply/", views.meeting_respond, name="meeting_respond"),
    path("<int:pk>/pool/release/", views.pool_release, name="pool_release"),
    path("<int:pk>/pool/request/<slug:la_slug>/", views.place_request, name="place_request"),
    path(
        "pool-requests/<int:pk>/withdraw/",
        views.place_request_withdraw,
        name="place_request_withdraw",
    ),
    path("<int:pk>/feedback/", views.feedback_results, name="feedback_results"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    path("<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
]

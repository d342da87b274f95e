from django.urls import path

from .views import (
    calendar,
    delegates,
    documents,
    events,
    feedback,
    guests,
    meetings,
    messages,
    places,
    workshops,
)

app_name = "events"

urlpatterns = [
    path("", events.event_list, name="event_list"),
    path("new/", events.event_create, name="event_create"),
    path("dates-to-avoid/", events.external_dates, name="external_dates"),
    path(
        "dates-to-avoid/<int:pk>/delete/",
        events.external_date_delete,
        name="external_date_delete",
    ),
    path("calendar/<str:token>.ics", calendar.personal_feed, name="personal_feed"),
    path("<int:pk>/", events.event_detail, name="event_detail"),
    path("<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("<int:pk>/cancel/", events.event_cancel, name="event_cancel"),
    path("<int:pk>/cancel/undo/", events.event_cancel_undo, name="event_cancel_undo"),
    path("<int:pk>/event.ics", calendar.event_ics, name="event_ics"),
    path("<int:pk>/sessions/new/", events.session_create, name="session_create"),
    path("sessions/<int:pk>/delete/", events.session_delete, name="session_delete"),
    path("<int:pk>/places/", places.allocations, name="allocations"),
    path("<int:pk>/registrations/", places.registrations, name="registrations"),
    path("<int:pk>/allocate-workshops/", workshops.workshop_allocate, name="workshop_allocate"),
    path("<int:pk>/export/<slug:what>.<slug:fmt>", calendar.export, name="export"),
    path("<int:pk>/register/<slug:la_slug>/", delegates.delegate_create, name="delegate_create"),
    path("<int:pk>/register-me/", delegates.register_self, name="register_self"),
    path("<int:pk>/guest-places/", guests.guest_places, name="guest_places"),
    path("<int:pk>/guest-place/", guests.guest_register, name="guest_register"),
    path("delegates/<int:pk>/edit/", delegates.delegate_edit, name="delegate_edit"),
    path(
        "delegates/<int:pk>/substitute/", delegates.delegate_substitute, name="delegate_substitute"
    ),
    path("delegates/<int:pk>/cancel/", delegates.delegate_cancel, name="delegate_cancel"),
    path(
        "delegates/<int:pk>/cancel/undo/",
        delegates.delegate_cancel_undo,
        name="delegate_cancel_undo",
    ),
    path("delegates/<int:pk>/check-in/", delegates.delegate_check_in, name="delegate_check_in"),
    path("guests/<int:pk>/check-in/", guests.guest_check_in, name="guest_check_in"),
    path(
        "<int:pk>/workshops/<int:session_pk>/",
        workshops.workshop_register,
        name="workshop_register",
    ),
    path(
        "workshop-places/<int:pk>/check-in/", workshops.workshop_check_in, name="workshop_check_in"
    ),
    path("<int:pk>/invite/", meetings.meeting_invite, name="meeting_invite"),
    path("<int:pk>/messages/", messages.message_list, name="message_list"),
    path("<int:pk>/messages/new/", messages.message_compose, name="message_compose"),
    path("<int:pk>/messages/<int:message_pk>/", messages.message_detail, name="message_detail"),
    path("<int:pk>/reply/", meetings.meeting_respond, name="meeting_respond"),
    path("<int:pk>/pool/release/", places.pool_release, name="pool_release"),
    path("<int:pk>/pool/request/<slug:la_slug>/", places.place_request, name="place_request"),
    path(
        "pool-requests/<int:pk>/withdraw/",
        places.place_request_withdraw,
        name="place_request_withdraw",
    ),
    path("<int:pk>/feedback/", feedback.feedback_results, name="feedback_results"),
    path("feedback/<str:token>/", feedback.feedback, name="feedback"),
    path("<int:pk>/documents/new/", documents.document_add, name="document_add"),
    path("documents/<int:pk>/", documents.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", documents.document_delete, name="document_delete"),
]

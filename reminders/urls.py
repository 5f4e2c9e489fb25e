from django.urls import path

from . import views

urlpatterns = [
    path("<int:leader>/<str:token>.ics", views.feed, name="reminders_calendar_feed"),
]

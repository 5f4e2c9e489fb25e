from django.urls import path

from . import views

app_name = "workbench_yearly"
urlpatterns = [
    path("", views.YearlyReportView.as_view(), name="index"),
    path("workbook/", views.WorkbookStatusView.as_view(), name="workbook"),
    path("workbook/download/", views.WorkbookDownloadView.as_view(), name="download"),
]

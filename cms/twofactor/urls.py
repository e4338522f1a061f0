from django.urls import path

from cms.twofactor import views

app_name = "twofactor"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("remove/", views.remove, name="remove"),
    path("new-backup-codes/", views.new_codes, name="new_codes"),
    path("reset/<int:user_id>/", views.reset, name="reset"),
]

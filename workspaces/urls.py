from django.urls import path

from workspaces import views

app_name = "workspaces"

M = "<int:pk>/milestones/<int:mid>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/chat/", views.chat, name="chat"),
    path("<int:pk>/chat/send/", views.chat_send, name="chat_send"),
    path("<int:pk>/chat/video/", views.video_call, name="video_call"),
    path("<int:pk>/files/", views.file_upload, name="file_upload"),
    path("<int:pk>/files/<int:fid>/", views.file_download, name="file"),
    path("<int:pk>/terminate/", views.terminate, name="terminate"),
    path("<int:pk>/qc-reviewer/", views.assign_qc, name="assign_qc"),
    path(M + "request-start/", views.request_start, name="request_start"),
    path(M + "start/", views.start, name="start"),
    path(M + "deliver/", views.deliver, name="deliver"),
    path(M + "complete/", views.complete, name="complete"),
    path(M + "revision/", views.revision, name="revision"),
    path(M + "revision/pay/", views.pay_revision, name="pay_revision"),
    path(M + "revision/withdraw/", views.withdraw_revision, name="withdraw_revision"),
    path(M + "qc/approve/", views.qc_approve, name="qc_approve"),
    path(M + "qc/changes/", views.qc_changes, name="qc_changes"),
    path(M + "dispute/", views.dispute, name="dispute"),
    path(M + "dispute/<int:did>/respond/", views.dispute_respond, name="dispute_respond"),
    path(M + "dispute/<int:did>/decide/", views.dispute_decide, name="dispute_decide"),
]

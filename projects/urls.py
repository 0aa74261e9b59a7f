from django.urls import path

from projects import fulfilment_views, views

app_name = "projects"

urlpatterns = [
    path("", views.find_project, name="find"),
    path("post/", views.post_project, name="post"),
    path("mine/", views.my_projects, name="mine"),
    path("invite/", views.invite, name="invite"),
    path("digest/", views.digest_settings, name="digest_settings"),
    path("experts/search/", views.find_freelancer, name="find_freelancer"),
    path("invited/new/", fulfilment_views.staff_new, name="fulfilment_new"),
    path("<int:pk>/invitation/", fulfilment_views.fulfilment, name="fulfilment"),
    path("<int:pk>/invitation/accept/", fulfilment_views.accept, name="fulfilment_accept"),
    path("<int:pk>/invitation/invite/", fulfilment_views.invite_more, name="fulfilment_invite"),
    path("<int:pk>/invitation/fee/", fulfilment_views.ask_fee, name="fulfilment_fee"),
    path(
        "<int:pk>/invitation/fee/<int:fee_pk>/",
        fulfilment_views.decide_fee,
        name="fulfilment_fee_decide",
    ),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_project, name="edit"),
    path("<int:pk>/publish/", views.publish_project, name="publish"),
    path("<int:pk>/nda/", views.accept_nda, name="accept_nda"),
    path("<int:pk>/resubmit/", views.resubmit_project, name="resubmit"),
    path("<int:pk>/close/", views.close_project, name="close"),
    path("<int:pk>/cancel/", views.cancel_project, name="cancel"),
    path("<int:pk>/upgrade/", views.buy_upgrade, name="upgrade"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_pk>/remove/",
        views.remove_attachment,
        name="remove_attachment",
    ),
]

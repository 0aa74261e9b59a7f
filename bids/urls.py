from django.urls import path

from bids import views

app_name = "bids"

urlpatterns = [
    path("mine/", views.my_bids, name="mine"),
    path("project/<int:project_pk>/", views.project_bids, name="project_bids"),
    path("project/<int:project_pk>/bid/", views.place_bid, name="place"),
    path("project/<int:project_pk>/skills/", views.add_skills, name="add_skills"),
    path("project/<int:project_pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/", views.bid_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_bid, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("<int:pk>/hide/", views.hide, name="hide"),
    path("<int:pk>/award/", views.award, name="award"),
    path("<int:pk>/withdraw-award/", views.withdraw_award, name="withdraw_award"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/conversation/", views.conversation, name="conversation"),
    path("<int:pk>/negotiate/", views.negotiate, name="negotiate"),
    path("<int:pk>/relay/", views.relay, name="relay"),
    path("<int:pk>/revise/", views.revise, name="revise"),
    path("offers/<int:pk>/accept/", views.accept_offer, name="accept_offer"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/milestones/", views.contract_milestones, name="contract_milestones"),
]

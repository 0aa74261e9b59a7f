from django.urls import path

from leads import views

app_name = "leads"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("criteria/", views.criteria, name="criteria"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reserve/", views.reserve, name="reserve"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/credit/", views.request_credit, name="request_credit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/publish/", views.staff_publish, name="staff_publish"),
    path("staff/<int:pk>/withdraw/", views.staff_withdraw, name="staff_withdraw"),
]

from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("contract/<int:pk>/", views.contract_reviews, name="contract"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/report/", views.report, name="report"),
]

from django.conf import settings
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("settings/language/", views.language_settings, name="language"),
    path("switch-role/", views.switch_role, name="switch_role"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/expert/", views.expert_edit, name="expert_edit"),
    path("profile/expert/basics/", views.expert_basics, name="expert_basics"),
    path("profile/expert/skills/", views.expert_skills, name="expert_skills"),
    path("profile/expert/languages/", views.expert_languages, name="expert_languages"),
    path("profile/expert/photo/", views.expert_avatar, name="expert_avatar"),
    path("profile/expert/qualifications/", views.qualification_add, name="qualification_add"),
    path(
        "profile/expert/qualifications/<int:pk>/remove/",
        views.qualification_remove,
        name="qualification_remove",
    ),
    path("profile/expert/experience/", views.experience_add, name="experience_add"),
    path(
        "profile/expert/experience/<int:pk>/remove/",
        views.experience_remove,
        name="experience_remove",
    ),
    path("profile/expert/portfolio/", views.portfolio_add, name="portfolio_add"),
    path(
        "profile/expert/portfolio/<int:pk>/remove/",
        views.portfolio_remove,
        name="portfolio_remove",
    ),
    path("profile/client/", views.client_edit, name="client_edit"),
    path("profile/company/", views.company_edit, name="company_edit"),
    path("profile/company/logo/", views.company_logo, name="company_logo"),
    path("profile/company/documents/", views.company_document_add, name="company_document_add"),
    path(
        "profile/company/documents/<int:pk>/remove/",
        views.company_document_remove,
        name="company_document_remove",
    ),
    path("profile/company/submit/", views.company_submit, name="company_submit"),
    path("documents/<int:pk>/", views.company_document, name="company_document"),
    path("skills/search/", views.skill_search, name="skill_search"),
    path("skills/request/", views.taxonomy_request, name="taxonomy_request"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
]

# Public images (avatars, logos, portfolio) from local storage, with or without DEBUG; a
# storage with its own URLs (S3) makes this route unused. Private files never go through it.
if "://" not in settings.MEDIA_URL:
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.public_media, name="media")
    )

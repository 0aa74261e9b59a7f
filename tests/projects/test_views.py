"""Post a Project, edit, detail, my projects and the staff moderation actions, through HTTP."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from marketplace.forms import new_purchase_key
from projects.models import ModerationDecision, Project, ProjectTemplate
from tests.projects.factories import category, make_expert_with, make_open_project, skill

pytestmark = pytest.mark.django_db

POST = reverse("projects:post")


def form_data(**overrides):
    data = {
        "title": "Logo for a bakery",
        "description": "We need a **logo**.",
        "category": category("design").pk,
        "skills": [skill("logo-design").pk],
        "expertise_level": "intermediate",
        "budget_type": "fixed",
        "budget_min": "500",
        "budget_max": "",
        "deadline": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "location_type": "remote",
        "payment_model": "milestones",
        "source": "card",
        "action": "publish",
    }
    data.update(overrides)
    return data


def test_post_page_groups_the_skills_by_category_for_the_filter(client, owner):
    client.force_login(owner)
    page = client.get(POST).text

    design = category("design")
    group = page.split(f'<optgroup label="{design.name}" data-category="{design.pk}">')[1]
    group = group.split("</optgroup>")[0]
    assert f'value="{skill("logo-design").pk}"' in group
    assert f'value="{skill("aws").pk}"' not in group
    assert 'data-filter-by="id_category"' in page
    assert "js/skill-filter.js" in page


def test_post_page_lists_seeded_templates(client, owner):
    client.force_login(owner)
    response = client.get(POST)
    assert response.status_code == 200
    names = [t.name for t in response.context["templates"]]
    assert {
        "Logo design",
        "Mobile app MVP",
        "Injection-mould defect analysis",
        "Technical translation",
        "Staff training course",
    } <= set(names)


def test_template_prefills_the_form(client, owner):
    client.force_login(owner)
    response = client.get(POST, {"template": "injection-mould-defect-analysis"})
    form = response.context["form"]
    template = ProjectTemplate.objects.get(slug="injection-mould-defect-analysis")
    assert form.initial["title"] == template.title
    assert form.initial["category"] == category("engineering").pk
    assert skill("injection-moulding") in form.initial["skills"]
    assert 'value="2000.00"' in response.content.decode()


def test_templates_are_listed_and_prefilled_in_german_for_a_german_reader(client, owner):
    client.force_login(owner)

    listed = client.get(POST, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    response = client.get(
        POST, {"template": "injection-mould-defect-analysis"}, HTTP_ACCEPT_LANGUAGE="de"
    )

    assert "Fehleranalyse im Spritzguss" in listed
    assert "Injection-mould defect analysis" not in listed
    form = response.context["form"]
    assert form.initial["title"] == "Ursachenanalyse eines wiederkehrenden Spritzgussfehlers"
    assert form.initial["description"].startswith("Unser Spritzgussteil zeigt")
    assert 'value="2000,00"' in response.content.decode()


def test_a_template_without_german_wording_shows_its_english(client, owner):
    template = ProjectTemplate.objects.get(slug="logo-design")
    template.name_de = ""
    template.title_de = ""
    template.save(update_fields=["name_de", "title_de"])
    client.force_login(owner)

    response = client.get(POST, {"template": "logo-design"}, HTTP_ACCEPT_LANGUAGE="de")

    assert "<strong>Logo design</strong>" in response.content.decode()
    assert response.context["form"].initial["title"] == template.title


def test_post_requires_login(client):
    response = client.get(POST)
    assert response.status_code == 302


def test_publish_creates_open_project_with_documents(client, owner):
    client.force_login(owner)
    data = form_data(
        attachments=[SimpleUploadedFile("brief.txt", b"brief"), SimpleUploadedFile("b.txt", b"x")]
    )
    response = client.post(POST, data)
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.status == Project.Status.OPEN
    assert project.budget_min == 50000
    assert project.attachments.count() == 2


def test_save_draft_redirects_to_edit(client, owner):
    client.force_login(owner)
    response = client.post(POST, form_data(action="draft"))
    project = Project.objects.get()
    assert project.status == Project.Status.DRAFT
    assert response["Location"] == reverse("projects:edit", args=[project.pk])


def test_preview_shows_draft_with_publish_button(client, owner):
    client.force_login(owner)
    response = client.post(POST, form_data(action="preview"), follow=True)
    assert Project.objects.get().status == Project.Status.DRAFT
    assert b"Preview: this is how experts will see your project" in response.content
    assert b"<strong>logo</strong>" in response.content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Give the project a title."),
        ({"skills": []}, "skills", "Choose at least one skill."),
        (
            {"budget_type": "range", "budget_min": "900", "budget_max": "100"},
            "budget_max",
            "The maximum must be at least the minimum.",
        ),
        (
            {"deadline": (timezone.localdate() - timedelta(days=2)).isoformat()},
            "deadline",
            "The deadline cannot be in the past.",
        ),
        ({"budget_min": "12,5x"}, "budget_min", "Enter an amount as a number"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(
    client, owner, overrides, field, message
):
    client.force_login(owner)
    response = client.post(POST, form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors)
    assert not Project.objects.exists()
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body


def test_oversized_document_is_refused_and_nothing_published(client, owner):
    client.force_login(owner)
    data = form_data(attachments=[SimpleUploadedFile("huge.bin", b"x" * 4096)])
    response = client.post(POST, data)
    assert "is larger than" in str(response.context["form"].errors["attachments"])
    assert not Project.objects.exists()


def test_eleven_documents_are_refused(client, owner):
    client.force_login(owner)
    files = [SimpleUploadedFile(f"f{n}.txt", b"x") for n in range(11)]
    response = client.post(POST, form_data(attachments=files))
    assert "at most 10 documents" in str(response.context["form"].errors["attachments"])
    assert not Project.objects.exists()


def test_escaped_html_in_description_is_not_rendered(client, owner):
    client.force_login(owner)
    client.post(
        POST,
        form_data(description="Hi <script>alert(1)</script> [x](javascript:alert(1)) **ok**"),
    )
    project = Project.objects.get()
    body = client.get(project.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "javascript:" not in body
    assert "<strong>ok</strong>" in body


def test_publish_with_featured_by_card_goes_to_checkout(client, owner):
    client.force_login(owner)
    response = client.post(
        POST, form_data(upgrades=["featured"], source="card", purchase_key=new_purchase_key())
    )
    project = Project.objects.get()
    assert project.status == Project.Status.OPEN
    assert not project.is_featured
    assert response.status_code == 302
    assert response["Location"] != project.get_absolute_url()


def test_edit_updates_project(client, owner):
    project = make_open_project(owner)
    client.force_login(owner)
    page = client.get(reverse("projects:edit", args=[project.pk]))
    assert page.context["form"].initial["budget_min"] == "500.00"
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        form_data(title="Logo and menu for a bakery", action="save"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Logo and menu for a bakery"


def test_edit_by_another_client_is_404(client, owner, other_client):
    project = make_open_project(owner)
    client.force_login(other_client)
    response = client.post(reverse("projects:edit", args=[project.pk]), form_data(title="Mine"))
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.title == "Logo for a bakery"


def test_close_button_closes(client, owner):
    project = make_open_project(owner)
    client.force_login(owner)
    response = client.post(reverse("projects:close", args=[project.pk]), follow=True)
    project.refresh_from_db()
    assert project.status == Project.Status.CLOSED
    assert b"no longer takes bids" in response.content


def test_double_close_shows_a_clear_message(client, owner):
    project = make_open_project(owner)
    client.force_login(owner)
    client.post(reverse("projects:close", args=[project.pk]))
    response = client.post(reverse("projects:close", args=[project.pk]), follow=True)
    assert b"cannot become closed" in response.content


def test_detail_page_query_count_is_bounded_for_visitors(
    client, owner, expert, django_assert_max_num_queries
):
    project = make_open_project(owner)
    client.force_login(expert)
    with django_assert_max_num_queries(10):
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200


def test_owner_sees_suggested_experts_with_reasons(client, owner, django_assert_max_num_queries):
    make_expert_with("logo-design", headline="Logo person", hourly_rate=5000, languages=["en"])
    make_expert_with("injection-moulding", headline="Mould person")
    project = make_open_project(owner)
    client.force_login(owner)
    # 17: the Upgrades form starts on the owner's preferred payment method (one query).
    with django_assert_max_num_queries(17):
        response = client.get(project.get_absolute_url())
    suggestions = response.context["suggestions"]
    assert [s.profile.headline for s in suggestions] == ["Logo person"]
    reasons = " ".join(suggestions[0].reasons)
    assert "Has 1 of 1 skill: Logo design" in reasons
    assert "fits your budget" in reasons
    assert b"% match" in response.content


def test_my_projects_lists_only_mine(client, owner, other_client):
    make_open_project(owner, title="Mine")
    make_open_project(other_client, title="Theirs")
    client.force_login(owner)
    response = client.get(reverse("projects:mine"))
    assert [p.title for p in response.context["projects"]] == ["Mine"]


def test_admin_approve_action_calls_service(client, owner, staff, settings):
    settings.PROJECT_MODERATION = "all"
    project = make_open_project(owner)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "approve", "_selected_action": [project.pk]},
    )
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN


def test_admin_reject_asks_for_reason_then_rejects(client, owner, staff, settings):
    settings.PROJECT_MODERATION = "all"
    project = make_open_project(owner)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = reverse("admin:projects_project_changelist")
    first = client.post(url, {"action": "reject", "_selected_action": [project.pk]})
    assert b"Message to the client" in first.content
    project.refresh_from_db()
    assert project.status == Project.Status.PENDING
    client.post(
        url,
        {
            "action": "reject",
            "_selected_action": [project.pk],
            "apply": "1",
            "note": "Please remove your phone number.",
        },
    )
    project.refresh_from_db()
    assert project.status == Project.Status.REJECTED
    assert ModerationDecision.objects.get().note == "Please remove your phone number."


def test_find_projects_with_my_skills_button_for_experts(client, expert):
    client.force_login(expert)
    response = client.get(reverse("projects:find"))
    assert b"Find projects with my skills" in response.content


def test_suggested_experts_reasons_follow_the_reader_language(client, owner):
    make_expert_with("logo-design", headline="Logo person", hourly_rate=5000, languages=["en"])
    project = make_open_project(owner)
    client.force_login(owner)

    response = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")

    reasons = " ".join(response.context["suggestions"][0].reasons)
    assert "Hat 1 von 1 Fähigkeit: Logodesign" in reasons
    assert "Stundensatz €50,00/h passt zu Ihrem Budget" in reasons
    assert "skills" not in reasons


def test_project_page_says_how_long_ago_it_was_posted_in_the_reader_language(client, owner):
    project = make_open_project(owner)

    english = client.get(project.get_absolute_url()).content.decode()
    german = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "· posted just now" in english
    assert "· veröffentlicht gerade eben" in german
    assert "0 Minuten" not in german

"""Every write to accounts and profiles: one function per action, keyword-only, atomic."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from accounts.exceptions import (
    DetailsLockedError,
    IllegalTransitionError,
    LimitReachedError,
    ReasonRequiredError,
    VerificationIncompleteError,
)
from accounts.images import (
    AVATAR_THUMBNAIL,
    PORTFOLIO_THUMBNAIL,
    make_thumbnail,
    validate_document,
    validate_image,
)
from accounts.models import (
    ClientProfile,
    CompanyDocument,
    CompanyProfile,
    CompanyVerificationEvent,
    Experience,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Language,
    PortfolioItem,
    Qualification,
    Skill,
    User,
)
from notifications.services import notify

MAX_SKILLS = 30
MAX_LANGUAGES = 15
MAX_QUALIFICATIONS = 30
MAX_EXPERIENCES = 40
MAX_PORTFOLIO_ITEMS = 30
MAX_COMPANY_DOCUMENTS = 10

EXPERT_PROFILE_FIELDS = frozenset(
    {"headline", "bio", "hourly_rate", "rate_min", "rate_max", "country", "city", "remote_ok"}
)
CLIENT_PROFILE_FIELDS = frozenset({"display_name", "country", "city", "about"})
COMPANY_PROFILE_FIELDS = frozenset(
    {"legal_name", "registration_number", "industry", "address", "country", "website", "about"}
)
COMPANY_LEGAL_FIELDS = frozenset({"legal_name", "registration_number"})


@dataclass(frozen=True)
class SkillChoice:
    skill: Skill
    level: str = ExpertSkill.Level.INTERMEDIATE
    years: int = 0


@dataclass(frozen=True)
class LanguageChoice:
    language: Language
    level: str = ExpertLanguage.Level.FLUENT


# --- helpers -----------------------------------------------------------------------------------


def _require_owner(owner: User, by: User) -> None:
    if owner.pk != by.pk:
        raise PermissionDenied(_("You can only change your own profile."))


def _delete_files_after_commit(*files: FieldFile) -> None:
    """Old uploads go once the new ones are committed (never before: a rollback keeps them).

    The storage and name are read now: a FieldFile changes its name in place when re-saved.
    """
    for storage, name in [(file.storage, file.name) for file in files if file and file.name]:
        transaction.on_commit(partial(storage.delete, name))


def _store_image(
    instance: Any, *, field: str, thumbnail_field: str, upload: UploadedFile, size: tuple[int, int]
) -> None:
    """Validate, then save the image and its thumbnail on `instance` (not yet saved)."""
    validate_image(upload)
    thumbnail = make_thumbnail(upload, size=size)
    _delete_files_after_commit(getattr(instance, field), getattr(instance, thumbnail_field))
    getattr(instance, field).save(upload.name or "image", upload, save=False)
    getattr(instance, thumbnail_field).save(thumbnail.name, thumbnail, save=False)


def _apply(instance: Any, *, changes: Mapping[str, Any], allowed: frozenset[str]) -> list[str]:
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, changes[name])
    return changed


def _ensure_profiles(user: User, *, legal_name: str = "") -> None:
    if user.is_expert:
        ExpertProfile.objects.get_or_create(user=user)
    if user.is_client:
        ClientProfile.objects.get_or_create(user=user)
    if user.is_company:
        CompanyProfile.objects.get_or_create(
            user=user, defaults={"legal_name": legal_name or user.display_name}
        )


# --- sign-up and roles ------------------------------------------------------------------------


@transaction.atomic
def register_account(
    *,
    user: User,
    name: str,
    role: str,
    account_type: str,
    legal_name: str = "",
    language: str = "",
) -> User:
    """Finish a new sign-up: the role taken, individual or company, and the matching profiles."""
    if role not in User.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    if account_type not in User.AccountType.values:
        raise ValueError(f"Unknown account type {account_type!r}")
    if account_type == User.AccountType.COMPANY and not legal_name.strip():
        raise ValidationError({"legal_name": _("A company account needs its legal company name.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    user.name = name.strip()
    user.account_type = account_type
    user.is_client = role == User.Role.CLIENT
    user.is_expert = role == User.Role.EXPERT
    user.active_role = role
    # The language the person signed up in becomes their saved one (emails follow it).
    user.language = language if language in dict(settings.LANGUAGES) else ""
    user.save(
        update_fields=["name", "account_type", "is_client", "is_expert", "active_role", "language"]
    )
    _ensure_profiles(user, legal_name=legal_name.strip())
    return user


@transaction.atomic
def switch_role(*, user: User, role: str) -> User:
    """Act as client or expert; switching to a role not yet taken turns it on."""
    if role not in User.Role.values:
        raise ValueError(f"Unknown role {role!r}")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.active_role == role and (locked.is_client or locked.is_expert):
        return locked
    if role == User.Role.CLIENT:
        locked.is_client = True
    else:
        locked.is_expert = True
    locked.active_role = role
    locked.save(update_fields=["is_client", "is_expert", "active_role"])
    _ensure_profiles(locked)
    return locked


def set_language(*, user: User, language: str) -> bool:
    """Save the person's language; True when it changed. Unknown codes raise ValueError."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    changed = User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
    user.language = language
    return bool(changed)


# --- expert profile ---------------------------------------------------------------------------


@transaction.atomic
def update_expert_profile(
    *, profile: ExpertProfile, by: User, changes: Mapping[str, Any]
) -> ExpertProfile:
    _require_owner(profile.user, by)
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    changed = _apply(profile, changes=changes, allowed=EXPERT_PROFILE_FIELDS)
    if changed:
        profile.full_clean(exclude=["avatar", "avatar_thumbnail", "user"])
        profile.save(update_fields=[*changed, "updated_at"])
    return profile


@transaction.atomic
def set_expert_skills(
    *, profile: ExpertProfile, by: User, skills: Iterable[SkillChoice]
) -> list[ExpertSkill]:
    """Replace the expert's skills with `skills` (level and years for each)."""
    _require_owner(profile.user, by)
    choices = list(skills)
    if len(choices) > MAX_SKILLS:
        raise LimitReachedError(
            _("List at most {MAX_SKILLS} skills: the ones you are best at.").format(
                MAX_SKILLS=MAX_SKILLS
            )
        )
    if len({choice.skill.pk for choice in choices}) != len(choices):
        raise ValidationError(_("Each skill can be listed once."))
    ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    rows = [
        ExpertSkill(profile=profile, skill=c.skill, level=c.level, years=c.years) for c in choices
    ]
    for row in rows:
        row.full_clean(exclude=["profile"], validate_unique=False, validate_constraints=False)
    profile.skills.all().delete()
    return ExpertSkill.objects.bulk_create(rows)


@transaction.atomic
def set_expert_languages(
    *, profile: ExpertProfile, by: User, languages: Iterable[LanguageChoice]
) -> list[ExpertLanguage]:
    _require_owner(profile.user, by)
    choices = list(languages)
    if len(choices) > MAX_LANGUAGES:
        raise LimitReachedError(
            _("List at most {MAX_LANGUAGES} languages.").format(MAX_LANGUAGES=MAX_LANGUAGES)
        )
    if len({choice.language.pk for choice in choices}) != len(choices):
        raise ValidationError(_("Each language can be listed once."))
    ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    rows = [ExpertLanguage(profile=profile, language=c.language, level=c.level) for c in choices]
    for row in rows:
        row.full_clean(exclude=["profile"], validate_unique=False, validate_constraints=False)
    profile.languages.all().delete()
    return ExpertLanguage.objects.bulk_create(rows)


def _add_child(
    profile: ExpertProfile,
    by: User,
    row: Any,
    *,
    related: str,
    limit: int,
    attach: Callable[[], None] | None = None,
) -> Any:
    """Add a row to one of the profile's lists; `attach` stores files once all else is valid."""
    _require_owner(profile.user, by)
    ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    if getattr(profile, related).count() >= limit:
        raise LimitReachedError(_("You can list at most {limit} of these.").format(limit=limit))
    row.profile = profile
    row.full_clean()
    if attach is not None:
        attach()
    row.save()
    return row


@transaction.atomic
def add_qualification(
    *,
    profile: ExpertProfile,
    by: User,
    kind: str,
    title: str,
    institution: str = "",
    year: int | None = None,
) -> Qualification:
    row = Qualification(kind=kind, title=title, institution=institution, year=year)
    return _add_child(profile, by, row, related="qualifications", limit=MAX_QUALIFICATIONS)


@transaction.atomic
def remove_qualification(*, qualification: Qualification, by: User) -> None:
    _require_owner(qualification.profile.user, by)
    qualification.delete()


@transaction.atomic
def add_experience(
    *,
    profile: ExpertProfile,
    by: User,
    title: str,
    organisation: str = "",
    start_year: int,
    end_year: int | None = None,
    description: str = "",
) -> Experience:
    row = Experience(
        title=title,
        organisation=organisation,
        start_year=start_year,
        end_year=end_year,
        description=description,
    )
    return _add_child(profile, by, row, related="experiences", limit=MAX_EXPERIENCES)


@transaction.atomic
def remove_experience(*, experience: Experience, by: User) -> None:
    _require_owner(experience.profile.user, by)
    experience.delete()


@transaction.atomic
def add_portfolio_item(
    *,
    profile: ExpertProfile,
    by: User,
    title: str,
    description: str = "",
    url: str = "",
    image: UploadedFile | None = None,
) -> PortfolioItem:
    row = PortfolioItem(title=title, description=description, url=url)

    def attach() -> None:
        if image is not None:
            _store_image(
                row,
                field="image",
                thumbnail_field="image_thumbnail",
                upload=image,
                size=PORTFOLIO_THUMBNAIL,
            )

    return _add_child(
        profile, by, row, related="portfolio", limit=MAX_PORTFOLIO_ITEMS, attach=attach
    )


@transaction.atomic
def remove_portfolio_item(*, item: PortfolioItem, by: User) -> None:
    _require_owner(item.profile.user, by)
    _delete_files_after_commit(item.image, item.image_thumbnail)
    item.delete()


@transaction.atomic
def set_avatar(*, profile: ExpertProfile, by: User, image: UploadedFile) -> ExpertProfile:
    _require_owner(profile.user, by)
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    _store_image(
        profile,
        field="avatar",
        thumbnail_field="avatar_thumbnail",
        upload=image,
        size=AVATAR_THUMBNAIL,
    )
    profile.save(update_fields=["avatar", "avatar_thumbnail", "updated_at"])
    return profile


# --- client and company -----------------------------------------------------------------------


@transaction.atomic
def update_client_profile(
    *, profile: ClientProfile, by: User, changes: Mapping[str, Any]
) -> ClientProfile:
    _require_owner(profile.user, by)
    profile = ClientProfile.objects.select_for_update().get(pk=profile.pk)
    changed = _apply(profile, changes=changes, allowed=CLIENT_PROFILE_FIELDS)
    if changed:
        profile.full_clean(exclude=["user"])
        profile.save(update_fields=[*changed, "updated_at"])
    return profile


@transaction.atomic
def update_company_profile(
    *, company: CompanyProfile, by: User, changes: Mapping[str, Any]
) -> CompanyProfile:
    """Edit company details; the legal name and number are fixed while reviewed or verified."""
    _require_owner(company.user, by)
    company = CompanyProfile.objects.select_for_update().get(pk=company.pk)
    changed = _apply(company, changes=changes, allowed=COMPANY_PROFILE_FIELDS)
    if company.legal_details_locked and COMPANY_LEGAL_FIELDS & set(changed):
        raise DetailsLockedError(
            _(
                "The legal name and registration number cannot change while the company "
                "is {lower}. Contact support to correct them."
            ).format(lower=company.get_verification_status_display().lower())
        )
    if changed:
        company.full_clean(exclude=["user", "logo", "logo_thumbnail", "verified_by"])
        company.save(update_fields=[*changed, "updated_at"])
    return company


@transaction.atomic
def set_company_logo(*, company: CompanyProfile, by: User, image: UploadedFile) -> CompanyProfile:
    _require_owner(company.user, by)
    company = CompanyProfile.objects.select_for_update().get(pk=company.pk)
    _store_image(
        company,
        field="logo",
        thumbnail_field="logo_thumbnail",
        upload=image,
        size=AVATAR_THUMBNAIL,
    )
    company.save(update_fields=["logo", "logo_thumbnail", "updated_at"])
    return company


@transaction.atomic
def add_company_document(
    *, company: CompanyProfile, by: User, upload: UploadedFile
) -> CompanyDocument:
    _require_owner(company.user, by)
    company = CompanyProfile.objects.select_for_update().get(pk=company.pk)
    if company.verification_status in {CompanyProfile.Status.PENDING}:
        raise DetailsLockedError(_("Documents cannot change while staff review them."))
    if company.documents.count() >= MAX_COMPANY_DOCUMENTS:
        raise LimitReachedError(
            _("A company can keep at most {MAX_COMPANY_DOCUMENTS} documents.").format(
                MAX_COMPANY_DOCUMENTS=MAX_COMPANY_DOCUMENTS
            )
        )
    validate_document(upload)
    original_name = (upload.name or "document").rsplit("/", 1)[-1][:255]
    document = CompanyDocument(company=company, original_name=original_name, size=upload.size or 0)
    document.file.save(original_name, upload, save=False)
    document.save()
    return document


@transaction.atomic
def remove_company_document(*, document: CompanyDocument, by: User) -> None:
    company = CompanyProfile.objects.select_for_update().get(pk=document.company_id)
    _require_owner(company.user, by)
    if company.legal_details_locked:
        raise DetailsLockedError(
            _("Documents cannot be removed while the company is {lower}.").format(
                lower=company.get_verification_status_display().lower()
            )
        )
    _delete_files_after_commit(document.file)
    document.delete()


def _transition(
    company: CompanyProfile, *, to: str, by: User | None, note: str = ""
) -> CompanyProfile:
    """Move a locked company to `to`, refusing what TRANSITIONS does not allow; log the change."""
    current = company.verification_status
    if to not in CompanyProfile.TRANSITIONS[current]:
        raise IllegalTransitionError(
            _("This company is {lower}: it cannot become {lower2}.").format(
                lower=company.get_verification_status_display().lower(),
                lower2=CompanyProfile.Status(to).label.lower(),
            )
        )
    company.verification_status = to
    CompanyVerificationEvent.objects.create(
        company=company, from_status=current, to_status=to, by=by, note=note
    )
    return company


@transaction.atomic
def submit_company_for_verification(*, company: CompanyProfile, by: User) -> CompanyProfile:
    _require_owner(company.user, by)
    company = CompanyProfile.objects.select_for_update().get(pk=company.pk)
    if company.verification_status not in {
        CompanyProfile.Status.UNVERIFIED,
        CompanyProfile.Status.REJECTED,
    }:
        raise IllegalTransitionError(
            _("This company is already {lower}.").format(
                lower=company.get_verification_status_display().lower()
            )
        )
    missing = []
    if not company.legal_name.strip():
        missing.append(_("the legal company name"))
    if not company.registration_number.strip():
        missing.append(_("the registration number"))
    if not company.documents.exists():
        missing.append(_("at least one registration document"))
    if missing:
        raise VerificationIncompleteError(
            _("Before submitting, add %(missing)s.") % {"missing": _(" and ").join(missing)}
        )
    _transition(company, to=CompanyProfile.Status.PENDING, by=by)
    company.submitted_at = timezone.now()
    company.save(update_fields=["verification_status", "submitted_at", "updated_at"])
    return company


def _require_staff(by: User) -> None:
    if not (by.is_active and by.is_staff):
        raise PermissionDenied(_("Only staff can verify companies."))


def _notify(
    *, user: User, kind: str, title: "StrOrPromise", body: "StrOrPromise", target: CompanyProfile
) -> None:
    notify(
        user=user,
        kind=kind,
        title=title,
        body=body,
        url=reverse("accounts:company_edit"),
        target=target,
    )


@transaction.atomic
def verify_company(*, company: CompanyProfile, by: User) -> CompanyProfile:
    _require_staff(by)
    company = CompanyProfile.objects.select_for_update().get(pk=company.pk)
    _transition(company, to=CompanyProfile.Status.VERIFIED, by=by)
    company.verified_at = timezone.now()
    company.verified_by = by
    company.rejection_reason = ""
    company.save(
        update_fields=[
            "verification_status",
            "verified_at",
            "verified_by",
            "rejection_reason",
            "updated_at",
        ]
    )
    _notify(
        user=company.user,
        kind="accounts.company_verified",
        title=format_lazy(gettext_lazy("{legal_name} is verified"), legal_name=company.legal_name),
        body=gettext_lazy("Your company now shows the verified badge to clients and experts."),
        target=company,
    )
    return company


@transaction.atomic
def reject_company(*, company: CompanyProfile, by: User, reason: str) -> CompanyProfile:
    _require_staff(by)
    reason = reason.strip()
    if not reason:
        raise ReasonRequiredError(_("Give the company a reason, so it knows what to fix."))
    company = CompanyProfile.objects.select_for_update().get(pk=company.pk)
    _transition(company, to=CompanyProfile.Status.REJECTED, by=by, note=reason)
    company.rejection_reason = reason
    company.save(update_fields=["verification_status", "rejection_reason", "updated_at"])
    _notify(
        user=company.user,
        kind="accounts.company_rejected",
        title=format_lazy(
            gettext_lazy("{legal_name} could not be verified"), legal_name=company.legal_name
        ),
        body=reason,
        target=company,
    )
    return company


@transaction.atomic
def ensure_profiles(*, user: User) -> User:
    """Create any profile the user's roles need but lacks (accounts made in the admin or shell)."""
    _ensure_profiles(user)
    return user

"""People on Guildhall: the user (email login) and the roles they take."""

import re
import unicodedata
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.files.storage import Storage, default_storage, storages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRIES, COUNTRY_NAMES
from marketplace.sql import CompiledQuery


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get(self, *args: Any, **kwargs: Any) -> "User":
        """User.objects.get(pk=...), what the auth backends ask on every signed-in request, runs
        SQL compiled once per process (building and compiling it cost several times the select);
        any other lookup goes the usual way. The same row, the same DoesNotExist."""
        if args or kwargs.keys() != {"pk"} or self._db is not None:
            return super().get(*args, **kwargs)
        rows = _USER_BY_PK.rows(int(kwargs["pk"]))
        if not rows:
            raise self.model.DoesNotExist("User matching query does not exist.")
        columns = [field.attname for field in self.model._meta.concrete_fields]
        return self.model.from_db(self.db, columns, rows[0])

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not extra["is_staff"] or not extra["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser.")
        return self._create_user(email, password, **extra)


# A user row by primary key, every column in model order (UserManager.get).
_USER_BY_PK = CompiledQuery(lambda pk: User.objects.filter(pk=pk))


def display_name(name: str, email: str) -> str:
    """The name a person is shown by: theirs, else their address's local part."""
    return name or email.split("@")[0]


def place(city: str, country: str) -> str:
    """ "Hamburg, Germany": the city and the country's name in the active language."""
    # COUNTRY_NAMES rather than get_country_display(), which hashes all the country choices
    # on every call (a page of expert cards calls this twenty times).
    return ", ".join(part for part in (city, str(COUNTRY_NAMES.get(country, country))) if part)


class User(AbstractBaseUser, PermissionsMixin):
    class AccountType(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COMPANY = "company", _("Company")

    class Role(models.TextChoices):
        CLIENT = "client", _("Hiring")
        EXPERT = "expert", _("Working")

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, blank=True)
    account_type = models.CharField(
        max_length=12,
        choices=AccountType.choices,
        default=AccountType.INDIVIDUAL,
        verbose_name=_("account type"),
    )
    is_client = models.BooleanField(_("hires experts"), default=False)
    is_expert = models.BooleanField(_("offers services"), default=False)
    active_role = models.CharField(
        max_length=8, choices=Role.choices, default=Role.CLIENT, verbose_name=_("active role")
    )
    # The interface, emails and notifications in this language; blank until chosen (then the
    # browser's Accept-Language applies, and notifications use settings.LANGUAGE_CODE).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    is_staff = models.BooleanField(default=False, verbose_name=_("staff"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    date_joined = models.DateTimeField(default=timezone.now, verbose_name=_("date joined"))

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("email",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_role="client", is_client=True)
                | models.Q(active_role="expert", is_expert=True)
                | models.Q(is_client=False, is_expert=False),
                name="user_active_role_is_taken",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return display_name(self.name, self.email)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0]

    @property
    def has_profile(self) -> bool:
        """Hires or works, so has a public profile to edit (a staff-only account has none)."""
        return self.is_client or self.is_expert

    @property
    def language_or_default(self) -> str:
        """The language to write to this person in: the saved one, else the site's default."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def is_company(self) -> bool:
        return self.account_type == self.AccountType.COMPANY

    @property
    def acting_as_expert(self) -> bool:
        return self.active_role == self.Role.EXPERT

    def without_identity(self, text: str, *, alias: str) -> str:
        """`text` (a file name someone uploads in a managed project) with this person's name,
        the parts of it and their email's local part replaced by their alias."""
        local = self.email.split("@")[0]
        tokens = {self.name, local, *self.name.split(), *re.split(r"[._+-]", local)}
        shown = "-".join(alias.split())
        for token in sorted((t for t in tokens if len(t) >= 3), key=len, reverse=True):
            text = re.sub(re.escape(token), shown, text, flags=re.IGNORECASE)
        return text


def in_language(name: str, name_de: str, language: str | None = None) -> str:
    """A taxonomy name in `language` (default: the active one): the German name for German when
    staff gave one, else the English `name`."""
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return name_de if code == "de" and name_de else name


def label_order(text: str) -> str:
    """The key that sorts shown names alphabetically in any of our languages: case and accents
    ignored, so "Ä" sorts with "A" as German readers expect (DIN 5007)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Named(models.Model):
    """A taxonomy entry named in English (`name`, unique, what text search matches) and, when
    staff gave one, in German (`name_de`). Pages show `label`: the name in the reader's language."""

    name = models.CharField(max_length=80, unique=True, verbose_name=_("name"))
    name_de = models.CharField(
        max_length=80,
        blank=True,
        verbose_name=_("German name"),
        help_text=_("Shown to German readers; leave blank to show the English name."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=("name_de",),
                condition=~models.Q(name_de=""),
                name="%(app_label)s_%(class)s_unique_name_de",
                violation_error_message=_("Another entry already has this German name."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_de)


def in_label_order[T: Named](items: Iterable[T]) -> list[T]:
    """Taxonomy entries sorted by the name the reader sees."""
    return sorted(items, key=lambda item: label_order(item.label))


class SkillCategory(Named):
    """A branch of the skills taxonomy (Software, Design, Engineering…), managed by staff."""

    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta(Named.Meta):
        ordering = ("position", "name")
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")


class Skill(Named):
    category = models.ForeignKey(
        SkillCategory, on_delete=models.PROTECT, related_name="skills", verbose_name=_("category")
    )
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))

    class Meta(Named.Meta):
        ordering = ("name",)
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class Language(Named):
    """A language people work in (ISO 639-1 code)."""

    code = models.CharField(max_length=8, unique=True, verbose_name=_("code"))
    name = models.CharField(max_length=60, unique=True, verbose_name=_("name"))
    name_de = models.CharField(
        max_length=60,
        blank=True,
        verbose_name=_("German name"),
        help_text=_("Shown to German readers; leave blank to show the English name."),
    )

    class Meta(Named.Meta):
        ordering = ("name",)
        verbose_name = _("language")
        verbose_name_plural = _("languages")


# --- Profiles ---------------------------------------------------------------------------------


def _default_currency() -> str:
    return settings.PLATFORM_CURRENCY


def _upload_path(folder: str, filename: str) -> str:
    """A random name under `folder`, keeping only a safe lower-case extension."""
    ext = Path(filename).suffix.lower()
    if not ext.isascii() or len(ext) > 8 or not ext[1:].isalnum():
        ext = ""
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def avatar_path(instance: models.Model, filename: str) -> str:
    return _upload_path("avatars", filename)


def portfolio_path(instance: models.Model, filename: str) -> str:
    return _upload_path("portfolio", filename)


def logo_path(instance: models.Model, filename: str) -> str:
    return _upload_path("logos", filename)


def thumbnail_path(instance: models.Model, filename: str) -> str:
    return _upload_path("thumbnails", filename)


def company_document_path(instance: "CompanyDocument", filename: str) -> str:
    return _upload_path(f"{PRIVATE_PREFIX}/company-documents/{instance.company_id}", filename)


PRIVATE_PREFIX = "private"


def private_storage() -> Storage:
    """Storage for files only the permission-checked views serve (a private bucket when the
    STORAGES setting names one as "private"; else the default storage under private/)."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return default_storage


class ExpertProfile(models.Model):
    """What an expert (a person or a company) shows to clients."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="expert_profile", verbose_name=_("user")
    )
    headline = models.CharField(
        _("headline"),
        max_length=120,
        blank=True,
        help_text=_("One line clients see first, e.g. “Senior Django developer”."),
    )
    bio = models.TextField(_("about you"), max_length=5000, blank=True)
    hourly_rate = models.PositiveIntegerField(
        _("hourly rate"), null=True, blank=True, help_text=_("In minor units (cents).")
    )
    rate_min = models.PositiveIntegerField(_("lowest hourly rate"), null=True, blank=True)
    rate_max = models.PositiveIntegerField(_("highest hourly rate"), null=True, blank=True)
    currency = models.CharField(max_length=3, default=_default_currency, verbose_name=_("currency"))
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    remote_ok = models.BooleanField(_("available for remote work"), default=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True, verbose_name=_("avatar"))
    avatar_thumbnail = models.ImageField(
        upload_to=thumbnail_path, blank=True, editable=False, verbose_name=_("avatar thumbnail")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hourly_rate__isnull=True) | models.Q(hourly_rate__gte=0),
                name="expertprofile_hourly_rate_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(rate_min__isnull=True) | models.Q(rate_min__gte=0),
                name="expertprofile_rate_min_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(rate_min__isnull=True)
                | models.Q(rate_max__isnull=True)
                | models.Q(rate_min__lte=models.F("rate_max")),
                name="expertprofile_rate_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Expert profile of %(name)s") % {"name": self.user.display_name}

    def get_absolute_url(self) -> str:
        return reverse("accounts:expert_detail", args=[self.pk])

    @property
    def location(self) -> str:
        return place(self.city, self.country)


class ExpertSkill(models.Model):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        EXPERT = "expert", _("Expert")

    profile = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="skills", verbose_name=_("profile")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="experts", verbose_name=_("skill")
    )
    level = models.CharField(
        max_length=12, choices=Level.choices, default=Level.INTERMEDIATE, verbose_name=_("level")
    )
    years = models.PositiveSmallIntegerField(_("years of experience"), default=0)

    class Meta:
        verbose_name = _("expert's skill")
        verbose_name_plural = _("experts' skills")
        ordering = ("skill__name",)
        constraints = [
            models.UniqueConstraint(fields=("profile", "skill"), name="expertskill_unique_skill"),
            models.CheckConstraint(
                condition=models.Q(years__lte=70), name="expertskill_years_le_70"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"


class ExpertLanguage(models.Model):
    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        CONVERSATIONAL = "conversational", _("Conversational")
        FLUENT = "fluent", _("Fluent")
        NATIVE = "native", _("Native or bilingual")

    profile = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="languages", verbose_name=_("profile")
    )
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="experts", verbose_name=_("language")
    )
    level = models.CharField(
        max_length=16, choices=Level.choices, default=Level.FLUENT, verbose_name=_("level")
    )

    class Meta:
        verbose_name = _("expert's language")
        verbose_name_plural = _("experts' languages")
        ordering = ("language__name",)
        constraints = [
            models.UniqueConstraint(
                fields=("profile", "language"), name="expertlanguage_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


# The first word of a degree title -> its level, for anonymous bids.
DEGREE_LEVELS = {
    **dict.fromkeys(("phd", "dphil", "dr", "doctor", "doctorate", "dr-ing"), "Doctorate"),
    "dipl-ing": "Master's degree",
    **dict.fromkeys(
        ("msc", "ma", "meng", "mba", "mphil", "master", "masters", "master's", "diplom"),
        "Master's degree",
    ),
    **dict.fromkeys(
        ("bsc", "ba", "beng", "bachelor", "bachelors", "bachelor's"), "Bachelor's degree"
    ),
}


class Qualification(models.Model):
    class Kind(models.TextChoices):
        EDUCATION = "education", _("Education")
        CERTIFICATION = "certification", _("Certification")

    profile = models.ForeignKey(
        ExpertProfile,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("profile"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EDUCATION)
    title = models.CharField(
        _("title"),
        max_length=150,
        help_text=_("Degree or certificate, e.g. “MSc Polymer Engineering”."),
    )
    institution = models.CharField(_("institution"), max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ("-year", "title")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1940, year__lte=2100),
                name="qualification_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def generalised(self) -> str:
        """What anonymous bids show: the level and field of a degree, or the certificate,
        never the institution or the year ("MSc Polymer Engineering, Hochschule Aalen, 2015"
        becomes "Master's degree in Polymer Engineering")."""
        title = " ".join(self.title.split())
        if self.kind == self.Kind.CERTIFICATION:
            return f"Certification: {title}"
        first, _, rest = title.partition(" ")
        level = DEGREE_LEVELS.get(first.strip(".,").lower().replace(".", ""))
        if level is None:
            return title
        field = rest.removeprefix("in ").removeprefix("of ").strip()
        return f"{level} in {field}" if field else level


class Experience(models.Model):
    profile = models.ForeignKey(
        ExpertProfile,
        on_delete=models.CASCADE,
        related_name="experiences",
        verbose_name=_("profile"),
    )
    title = models.CharField(_("role"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("start year"),
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True, help_text=_("Leave empty if you still work there.")
    )
    description = models.TextField(_("description"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experiences")
        ordering = ("-start_year", "title")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="experience_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__gte=1940, start_year__lte=2100),
                name="experience_start_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.start_year} to {self.end_year or 'present'}"


class PortfolioItem(models.Model):
    profile = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="portfolio", verbose_name=_("profile")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    image = models.ImageField(_("image"), upload_to=portfolio_path, blank=True)
    image_thumbnail = models.ImageField(
        upload_to=thumbnail_path, blank=True, editable=False, verbose_name=_("image thumbnail")
    )
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title


class ClientProfile(models.Model):
    """What experts see about the person or company hiring them."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="client_profile", verbose_name=_("user")
    )
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("Shown to experts instead of your full name, optional."),
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    about = models.TextField(_("about"), max_length=3000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("client profile")
        verbose_name_plural = _("client profiles")

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class CompanyProfile(models.Model):
    """A company account's legal identity, verified by staff from its registration documents."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified")
        PENDING = "pending", _("Waiting for review")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.UNVERIFIED: {Status.PENDING},
        Status.REJECTED: {Status.PENDING},
        Status.PENDING: {Status.VERIFIED, Status.REJECTED},
        Status.VERIFIED: set(),
    }

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="company_profile", verbose_name=_("user")
    )
    legal_name = models.CharField(_("legal company name"), max_length=200)
    registration_number = models.CharField(
        _("registration number"),
        max_length=60,
        blank=True,
        help_text=_("Commercial register or VAT number."),
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, blank=True)
    website = models.URLField(_("website"), blank=True)
    about = models.TextField(_("about"), max_length=5000, blank=True)
    logo = models.ImageField(upload_to=logo_path, blank=True, verbose_name=_("logo"))
    logo_thumbnail = models.ImageField(
        upload_to=thumbnail_path, blank=True, editable=False, verbose_name=_("logo thumbnail")
    )
    verification_status = models.CharField(
        max_length=12,
        choices=Status.choices,
        default=Status.UNVERIFIED,
        db_index=True,
        verbose_name=_("verification status"),
    )
    rejection_reason = models.TextField(blank=True, verbose_name=_("rejection reason"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("verified at"))
    verified_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(verification_status="verified")
                | models.Q(verified_at__isnull=False),
                name="companyprofile_verified_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(verification_status="rejected")
                | ~models.Q(rejection_reason=""),
                name="companyprofile_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:company_detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Status.VERIFIED

    @property
    def legal_details_locked(self) -> bool:
        """Legal name and registration number are fixed while staff review or after approval."""
        return self.verification_status in {self.Status.PENDING, self.Status.VERIFIED}


class CompanyDocument(models.Model):
    """A registration document; private: only its company and staff can download it."""

    company = models.ForeignKey(
        CompanyProfile,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("company"),
    )
    file = models.FileField(
        upload_to=company_document_path,
        storage=private_storage,
        max_length=255,
        verbose_name=_("file"),
    )
    original_name = models.CharField(max_length=255, verbose_name=_("original name"))
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("company document")
        verbose_name_plural = _("company documents")
        ordering = ("uploaded_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gt=0), name="companydocument_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:company_document", args=[self.pk])


class CompanyVerificationEvent(models.Model):
    """One row per verification status change: who, from, to, when and why."""

    company = models.ForeignKey(
        CompanyProfile,
        on_delete=models.CASCADE,
        related_name="verification_events",
        verbose_name=_("company"),
    )
    from_status = models.CharField(
        max_length=12, choices=CompanyProfile.Status.choices, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=12, choices=CompanyProfile.Status.choices, verbose_name=_("to status")
    )
    by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(blank=True, verbose_name=_("note"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("company verification step")
        verbose_name_plural = _("company verification steps")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        shown = f"{self.get_from_status_display()} → {self.get_to_status_display()}"
        return f"{self.company.legal_name}: {shown}"


# --- Service listings -------------------------------------------------------------------------


def listing_image_path(instance: models.Model, filename: str) -> str:
    return _upload_path("listings", filename)


class ServiceListing(models.Model):
    """A service an expert offers at a starting price; clients request a booking from it."""

    expert = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="service_listings", verbose_name=_("expert")
    )
    title = models.CharField(max_length=120, verbose_name=_("title"))
    description = models.TextField(max_length=5000, verbose_name=_("description"))
    category = models.ForeignKey(
        SkillCategory,
        on_delete=models.PROTECT,
        related_name="service_listings",
        verbose_name=_("category"),
    )
    skills = models.ManyToManyField(
        Skill, related_name="service_listings", verbose_name=_("skills")
    )
    price_from = models.BigIntegerField(_("starting price"), help_text=_("In minor units (cents)."))
    currency = models.CharField(max_length=3, default=_default_currency, verbose_name=_("currency"))
    delivery_days = models.PositiveSmallIntegerField(_("delivery time in days"))
    remote = models.BooleanField(_("available remotely"), default=True)
    country = models.CharField(
        max_length=2, choices=COUNTRIES, blank=True, verbose_name=_("country")
    )
    city = models.CharField(max_length=80, blank=True, verbose_name=_("city"))
    is_active = models.BooleanField(_("shown in the catalogue"), default=True)
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("created at")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("service listing")
        verbose_name_plural = _("service listings")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["is_active", "-created_at", "-id"], name="listing_active_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_from__gt=0), name="servicelisting_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(delivery_days__gt=0), name="servicelisting_days_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(remote=True) | ~models.Q(country=""),
                name="servicelisting_area_given",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bookings:listing", args=[self.pk])

    @property
    def area(self) -> str:
        where = place(self.city, self.country)
        if self.remote and where:
            return gettext("Remote or in %(place)s") % {"place": where}
        return where or gettext("Remote")


class ServiceListingImage(models.Model):
    listing = models.ForeignKey(
        ServiceListing,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("listing"),
    )
    image = models.ImageField(upload_to=listing_image_path, verbose_name=_("image"))
    thumbnail = models.ImageField(
        upload_to=thumbnail_path, editable=False, verbose_name=_("thumbnail")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("service listing image")
        verbose_name_plural = _("service listing images")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return gettext("Image %(number)s of “%(listing)s”") % {
            "number": self.position + 1,
            "listing": self.listing.title,
        }


# --- Requests for a missing skill or category --------------------------------------------------


class TaxonomyRequest(models.Model):
    """A member asks staff to add a skill, or a category or job type, missing from the lists,
    from the place they missed it (their profile, a project post, a service listing). Staff
    accept (the item is created and put where it was missing) or refuse with a reason."""

    class Kind(models.TextChoices):
        SKILL = "skill", _("Skill")
        CATEGORY = "category", _("Category or job type")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        ACCEPTED = "accepted", _("Added")
        REFUSED = "refused", _("Refused")

    requester = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="taxonomy_requests",
        verbose_name=_("requester"),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("kind"))
    name = models.CharField(max_length=80, verbose_name=_("name"))
    category = models.ForeignKey(
        SkillCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a skill: the category it belongs to."),
        verbose_name=_("category"),
    )
    note = models.TextField(_("what it is for"), max_length=1000, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
    )
    listing = models.ForeignKey(
        ServiceListing,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("listing"),
    )
    status = models.CharField(
        max_length=8,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
        verbose_name=_("status"),
    )
    refusal_reason = models.TextField(blank=True, verbose_name=_("refusal reason"))
    created_skill = models.ForeignKey(
        Skill,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created skill"),
    )
    created_category = models.ForeignKey(
        SkillCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created category"),
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("request for a missing skill or category")
        verbose_name_plural = _("requests for a missing skill or category")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="taxonomyrequest_refused_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def where(self) -> str:
        if self.project_id:
            return "project"
        if self.listing_id:
            return "listing"
        return "profile"

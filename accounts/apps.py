from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = gettext_lazy("Accounts and profiles")

    def ready(self) -> None:
        from accounts.models import Language, Skill, SkillCategory
        from accounts.selectors import forget_taxonomy

        # Cache invalidation only (no business rule): a staff edit of the taxonomy in the admin
        # shows in the search forms at once. Forgotten now and again after the commit, so a page
        # rendered meanwhile cannot keep the old names cached.
        def forget(**_: object) -> None:
            forget_taxonomy()
            transaction.on_commit(forget_taxonomy)

        for model in (SkillCategory, Skill, Language):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget, sender=model, weak=False, dispatch_uid=f"taxonomy-{model.__name__}"
                )

"""Admin pages where staff decide a request (accept, or refuse with a reason) with buttons on
the request's own page; the decision is one service call, as everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST


class DecisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A read-only change page with Accept and Refuse (reason required) under the details.

    Subclasses set accept_label / refuse_label and implement is_pending, decide_accept and
    decide_refuse
    (each calls the app's service; its domain error is shown as an error message)."""

    change_form_template = "admin/decision_change_form.html"
    accept_label = gettext_lazy("Accept")
    refuse_label = gettext_lazy("Refuse")
    refusal_help = gettext_lazy("The requester reads this reason.")
    refusals: tuple[type[Exception], ...] = (Exception,)

    def is_pending(self, obj: Any) -> bool:
        raise NotImplementedError

    def decide_accept(self, request: HttpRequest, obj: Any) -> str:
        raise NotImplementedError

    def decide_refuse(self, request: HttpRequest, obj: Any, reason: str) -> str:
        raise NotImplementedError

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decided with the buttons, never edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _decide_name(self) -> str:
        meta = self.model._meta
        return f"{meta.app_label}_{meta.model_name}_decide"

    def get_urls(self) -> list[URLPattern]:
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [path("<int:pk>/decide/", decide, name=self._decide_name()), *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        context = {
            **(extra_context or {}),
            "decision_url": reverse(f"admin:{self._decide_name()}", args=[object_id])
            if obj is not None and self.is_pending(obj)
            else "",
            "accept_label": self.accept_label,
            "refuse_label": self.refuse_label,
            "refusal_help": self.refusal_help,
        }
        return super().change_view(request, object_id, form_url, context)

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, str(pk))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404("No such request.")
        back = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
            args=[pk],
        )
        decision = request.POST.get("decision")
        action: Callable[[], str]
        if decision == "accept":
            action = lambda: self.decide_accept(request, obj)  # noqa: E731
        elif decision == "refuse":
            reason = " ".join(request.POST.get("reason", "").split())
            if not reason:
                messages.error(
                    request, gettext("Write the reason for refusing: the requester reads it.")
                )
                return HttpResponseRedirect(back)
            action = lambda: self.decide_refuse(request, obj, reason)  # noqa: E731
        else:
            raise Http404("No such decision.")
        try:
            done = action()
        except self.refusals as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(back)

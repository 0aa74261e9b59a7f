from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from messaging import services
from messaging.models import Conversation, Message, MessageAttachment, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("last_read_at", "joined_at")


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("heading", "kind", "guard_contacts", "last_message_at")
    list_filter = ("kind", "guard_contacts")
    search_fields = ("subject", "title", "key")
    readonly_fields = ("key", "created_at", "last_message_at")
    inlines = (ParticipantInline,)


class AttachmentInline(admin.TabularInline):
    model = MessageAttachment
    extra = 0
    readonly_fields = ("name", "size", "file")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Flagged messages: contact details someone tried to share before a contract."""

    list_display = ("sender_name", "conversation", "created_at", "flagged", "flag_reasons")
    list_filter = ("flagged", "flag_reviewed", "from_staff")
    search_fields = ("body", "original_body", "sender_name")
    readonly_fields = (
        "conversation",
        "sender",
        "sender_name",
        "from_staff",
        "body",
        "original_body",
        "flagged",
        "flag_reasons",
        "created_at",
    )
    inlines = (AttachmentInline,)
    actions = ("mark_reviewed",)

    @admin.action(description=gettext_lazy("Mark flagged messages as reviewed"))
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        for message in queryset.filter(flagged=True, flag_reviewed=False):
            services.review_flag(message=message, by=request.user)  # type: ignore[arg-type]
        self.message_user(request, gettext("Marked as reviewed."), messages.SUCCESS)

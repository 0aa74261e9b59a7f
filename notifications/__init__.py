"""In-app notifications, their emails and the per-kind email preferences.

Other apps call one service and nothing else::

    from notifications.services import notify
    notify(user=expert, kind="bids.awarded", title="Your bid was awarded", url=workspace_url)

It stores the notification and, after the surrounding transaction commits, queues the email
(Celery task ``send_notification_email``, sent at most once) unless the person switched that kind
off. Email text comes from ``templates/notifications/email/<kind>.txt`` when it exists (first line
is the subject), else ``default.txt``. Give a kind a label for the preferences page by adding it
to ``notifications.kinds.KINDS`` or calling ``register_kind`` in your AppConfig.ready.
"""

from django import forms


class SignupRoleForm(forms.Form):
    """Placeholder replaced by the accounts work."""

    def signup(self, request, user) -> None:
        pass

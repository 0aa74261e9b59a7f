"""Domain errors of the accounts app; views turn them into messages."""


class AccountsError(Exception):
    """Base class: the message is written for the person who tried the action."""


class IllegalTransitionError(AccountsError):
    pass


class VerificationIncompleteError(AccountsError):
    pass


class ReasonRequiredError(AccountsError):
    pass


class DetailsLockedError(AccountsError):
    pass


class LimitReachedError(AccountsError):
    pass

"""The one error the service layer raises when the rules refuse a request.

Every feature's services raise ServiceError (or a subclass named for the feature, such as
proposals' ProposalError) with a message for the user and the form field it belongs next to.
The message is either already translated (gettext) or a lazy string (_l); str(error) gives
the text to show either way, so views need not know which. Store or JSON-encode str(error),
never error.message: a lazy string is not a str.
"""


class ServiceError(ValueError):
    """A request the rules refuse; message is for users, field names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)

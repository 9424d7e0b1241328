"""Serving a file sent with a request: always as a download, never rendered, audited."""

from earlyhelp.downloads import download_response


def attachment_response(user, attachment):
    """The file as a download, for a user the caller has already checked may see it."""
    return download_response(
        user,
        file=attachment.file,
        filename=attachment.original_name,
        obj=attachment.request,
        detail={"attachment": attachment.original_name},
    )

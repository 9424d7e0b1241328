def axes_username(request, credentials):
    """Count failed sign-ins per email address whatever its case or surrounding spaces."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    return typed.strip().lower()

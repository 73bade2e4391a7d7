from .scoping import role_kinds


def roles(request):
    """The kinds of role the user holds, for the navigation (one query, cached on the user)."""
    if not request.user.is_authenticated:
        return {"role_kinds": set()}
    return {"role_kinds": role_kinds(request.user)}

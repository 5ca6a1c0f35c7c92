"""Login, logout, language switch and the user's own password."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import login_sessions, security
from kernel.errors import InputError
from kernel.i18n import LANGS
from kernel.models import User
from kernel.routing import AUTHENTICATED, PUBLIC, Route, csrf_token
from kernel.web.forms import client_ip, error_text, form, redirect, safe_next
from kernel.web.gregorian import set_user_wants, user_wants
from kernel.web.templating import render

MONEY_UNITS = ("rial", "toman")


def login_page(request: Request) -> Response:
    if request.state.actor is not None:
        return redirect("/")
    return render(request, "kernel/login.html", {"next": safe_next(request.query_params.get("next"))})


def login_submit(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    error: InputError | None = None
    # The session commits even when the login fails: the failed attempt is audited and counts
    # towards throttling.
    with kernel.sessions() as session:
        facts = security.login_facts(session, str(data.get("username", "")), client_ip(request))
    check = security.judge_login(facts, str(data.get("password", "")))
    with kernel.session() as session:
        try:
            user = security.record_login(session, check)
        except InputError as exc:
            error = exc
        else:
            uid, stamp, lang = user.id, security.session_stamp(user), user.lang
            sid = login_sessions.start(session, user.id, client_ip(request), request.headers.get("user-agent", ""))
    if error is not None:
        return render(request, "kernel/login.html", {"error": error_text(request, error),
                                                     "username": data.get("username", ""),
                                                     "next": safe_next(data.get("next"))}, 400)
    request.session.clear()
    request.session.update({"uid": uid, "stamp": stamp, "lang": lang, "sid": sid})
    csrf_token(request)
    return redirect(safe_next(data.get("next")))


def logout(request: Request) -> Response:
    sid = request.session.get("sid")
    if sid:
        with request.app.state.kernel.session() as session:
            login_sessions.end(session, str(sid))
    request.session.clear()
    return redirect("/login")


def set_lang(request: Request) -> Response:
    kernel = request.app.state.kernel
    lang = str(form(request).get("lang", ""))
    if lang in LANGS:
        request.session["lang"] = lang
        if request.state.actor is not None:
            with kernel.session(request.state.actor) as session:
                user = session.get(User, request.state.actor.user_id)
                if user:
                    user.lang = lang
    return redirect(safe_next(str(form(request).get("next", "/"))))


def password_page(request: Request) -> Response:
    return render(request, "kernel/password.html", {})


def password_submit(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    actor = request.state.actor
    try:
        with kernel.session(actor) as session:
            security.change_password(session, actor.user_id, str(data.get("old", "")),
                                     str(data.get("new", "")), str(data.get("confirm", "")))
            user = session.get(User, actor.user_id)
            stamp = security.session_stamp(user) if user else ""
            # Whoever else was signed in as this user (a lost phone, a shared desk) is out now.
            ended = login_sessions.end_all(session, actor.user_id, keep=request.session.get("sid"))
            revoked = security.revoke_user_tokens(session, actor.user_id) if data.get("revoke_tokens") else 0
    except InputError as exc:
        return render(request, "kernel/password.html", {"error": error_text(request, exc)}, 400)
    request.session["stamp"] = stamp
    return render(request, "kernel/password.html", {"done": True, "ended": ended, "revoked": revoked})


def preferences(request: Request) -> Response:
    saved = bool(request.query_params.get("saved"))
    kernel = request.app.state.kernel
    user_id = request.state.actor.user_id
    with kernel.sessions() as session:
        gregorian = user_wants(session, user_id)
        # The modules' own choices (kernel.Preference), each with this user's answer.
        choices = [(p, kernel.user_preference(session, user_id, p.key)) for p in kernel.preferences.values()]
    return render(request, "kernel/preferences.html", {"saved": saved, "units": MONEY_UNITS, "gregorian": gregorian,
                                                        "choices": choices})


def preferences_save(request: Request) -> Response:
    """Language and money unit are the user's own (KER-09): amounts are shown and typed in it."""
    kernel = request.app.state.kernel
    data = form(request)
    with kernel.session(request.state.actor) as session:
        user = session.get(User, request.state.actor.user_id)
        if user is not None:
            if data.get("lang") in LANGS:
                user.lang = str(data["lang"])
                request.session["lang"] = user.lang
            if data.get("money_unit") in MONEY_UNITS:
                user.money_unit = str(data["money_unit"])
            set_user_wants(session, user.id, bool(data.get("gregorian")))
            for key in kernel.preferences:
                kernel.set_user_preference(session, user.id, key, bool(data.get(f"pref:{key}")))
    return redirect("/preferences?saved=1")


def routes() -> list[Route]:
    return [
        Route("/login", login_page, methods=["GET"], permission=PUBLIC, name="login"),
        Route("/login", login_submit, methods=["POST"], permission=PUBLIC, name="login_submit"),
        Route("/logout", logout, methods=["POST"], permission=PUBLIC, name="logout"),
        Route("/lang", set_lang, methods=["POST"], permission=PUBLIC, name="lang"),
        Route("/password", password_page, methods=["GET"], permission=AUTHENTICATED, name="password"),
        Route("/preferences", preferences, methods=["GET"], permission=AUTHENTICATED, name="preferences"),
        Route("/preferences", preferences_save, methods=["POST"], permission=AUTHENTICATED,
              name="preferences_save"),
        Route("/password", password_submit, methods=["POST"], permission=AUTHENTICATED, name="password_submit"),
    ]

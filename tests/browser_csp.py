"""Content-Security-Policy violations seen by a playwright page.

Chromium reports a blocked script, style, font or connection both as a console
error and as a ``securitypolicyviolation`` event; both are collected, so a test
(or a page fixture's teardown) can assert that none happened."""

from __future__ import annotations

LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline')
    + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def watch_csp(context_or_page) -> list[str]:
    """Start collecting violations on a browser context (or page); returns the live list."""
    violations: list[str] = []
    context_or_page.add_init_script(LISTENER)

    def on_console(message) -> None:
        text = message.text
        csp = "Content Security Policy" in text or text.startswith("CSP violation")
        if message.type == "error" and csp:
            violations.append(text)

    pages = getattr(context_or_page, "pages", None)
    if pages is None:  # a page
        context_or_page.on("console", on_console)
    else:
        context_or_page.on("page", lambda page: page.on("console", on_console))
        for page in pages:
            page.on("console", on_console)
    return violations

"""Who may change a library image, as the apps that show images rule it.

Changing an image changes every page that shows it, so an app that shows
images may refuse a change: it registers a rule, a function of (user, image)
that returns why the user may not change the image, or "" if it does not
object. The library itself imposes nothing beyond the model permissions.
"""

_rules = []


def register(rule):
    if rule not in _rules:
        _rules.append(rule)
    return rule


def change_refusal(user, image):
    """Why ``user`` may not change ``image``: a sentence, or "" if they may."""
    for rule in _rules:
        if refusal := rule(user, image):
            return refusal
    return ""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = Path(
    os.environ.get("DJANGO_ADMIN_PASSWORD_FILE")
    or settings.BASE_DIR / ".admin-password"
)


class Command(BaseCommand):
    help = (
        "Make sure an admin login exists and say how to sign in. A first admin gets "
        "a random password, kept in the git-ignored file .admin-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default=f"{settings.SITE_URL}/admin/")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None and User.objects.filter(is_superuser=True).exists():
            self.stdout.write(f"Admin: {url} (sign in with your superuser account)")
            return
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username, password=password)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        password = self.remembered_password(user)
        self.stdout.write(self.style.SUCCESS(f"Admin: {url}"))
        if password:
            self.stdout.write(f"  username: {username}\n  password: {password}")
        else:
            self.stdout.write(
                f"  username: {username} (password changed since it was generated; "
                f"reset it with: .venv/bin/python manage.py changepassword {username})"
            )

    def remembered_password(self, user):
        if not PASSWORD_FILE.exists():
            return None
        password = PASSWORD_FILE.read_text().strip()
        if user is None or user.check_password(password):
            return password
        return None

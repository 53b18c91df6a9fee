import os

from django.core.wsgi import get_wsgi_application

from blog import env_file

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blog.settings")
env_file.load()

application = get_wsgi_application()

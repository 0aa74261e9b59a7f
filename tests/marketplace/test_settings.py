"""Settings from the environment: the embedded default, production's refusals and its security.

Each case imports the settings (or runs manage.py) in a fresh interpreter with exactly the
environment under test, because the settings module reads the environment once, at import.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
SETTINGS = REPO / "marketplace" / "settings.py"

# Every variable settings.py reads: env("NAME"), env.str("NAME"), service_url("NAME"), ...
ENV_READ = re.compile(r"""\b(?:env(?:\.\w+)?|service_url)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def settings_variables() -> set[str]:
    return set(ENV_READ.findall(SETTINGS.read_text()))


def production_env(**overrides: str) -> dict[str, str]:
    """A complete production environment; each override replaces (or, with "", blanks) one."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/guildhall",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "",
        "ALLOWED_HOSTS": "guildhall.example",
        "SITE_URL": "https://guildhall.example",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.guildhall.example:587",
        "PAYMENT_GATEWAY": "stripe",
        "STRIPE_SECRET_KEY": "sk_test_guildhall",
        "STRIPE_WEBHOOK_SECRET": "whsec_guildhall",
    }
    env.update(overrides)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python("import marketplace.settings", env)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "Production needs SECRET_KEY (at least 50 characters)."),
        ({"SECRET_KEY": "too-short-to-be-a-secret"}, "Production needs SECRET_KEY"),
        ({"DATABASE_URL": ""}, "Production needs a PostgreSQL DATABASE_URL."),
        ({"DATABASE_URL": "sqlite:////tmp/guildhall.sqlite3"}, "Production needs a PostgreSQL"),
        ({"CELERY_BROKER_URL": ""}, "Production needs a Redis broker (CELERY_BROKER_URL)."),
        ({"CELERY_BROKER_URL": "amqp://guest@127.0.0.1//"}, "Production needs a Redis broker"),
        ({"EMAIL_URL": ""}, "Production needs an SMTP server (EMAIL_URL)."),
        ({"PAYMENT_GATEWAY": "demo"}, "PAYMENT_GATEWAY=stripe"),
        ({"ALLOWED_HOSTS": ""}, "Production needs ALLOWED_HOSTS"),
        ({"SITE_URL": ""}, "Production needs SITE_URL, the public https:// address."),
        ({"SITE_URL": "http://guildhall.example"}, "Production needs SITE_URL"),
    ],
    ids=[
        "no-secret-key",
        "short-secret-key",
        "no-database-url",
        "sqlite-database",
        "no-broker",
        "non-redis-broker",
        "no-email-url",
        "demo-gateway",
        "no-allowed-hosts",
        "no-site-url",
        "plain-http-site-url",
    ],
)
def test_production_refuses_to_start_without_what_it_needs(overrides, message):
    result = import_settings(production_env(**overrides))

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_turns_on_secure_cookies_hsts_redirect_and_mandatory_verification():
    code = (
        "import json, marketplace.settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, "
        "'redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'verification': "
        "s.ACCOUNT_EMAIL_VERIFICATION, 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
        "'hosts': s.ALLOWED_HOSTS, 'mailer': s.MAILERS['default']['BACKEND'], "
        "'sessions': s.SESSION_ENGINE}))"
    )
    result = run_python(code, production_env())

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded == {
        "debug": False,
        "session": True,
        "csrf": True,
        "redirect": True,
        "hsts": 31_536_000,
        "subdomains": True,
        "verification": "mandatory",
        "eager": False,
        "hosts": ["guildhall.example"],
        "mailer": "django.core.mail.backends.smtp.EmailBackend",
        "sessions": "marketplace.sessions.cached_db",  # the broker's Redis caches
    }


def test_nothing_set_gives_the_embedded_default():
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(Path.home()),
        # Blank rather than absent, so a developer's .env cannot fill them in.
        "DJANGO_ENV": "",
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "EMAIL_URL": "",
        "PAYMENT_GATEWAY": "demo",
    }
    code = (
        "import json, marketplace.settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'mailer': s.MAILERS['default']['BACKEND'], "
        "'gateway': s.PAYMENT_GATEWAY, 'cache': s.CACHES['default']['BACKEND']}))"
    )
    result = run_python(code, env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": True,
        "engine": "django.db.backends.sqlite3",
        "eager": True,
        "mailer": "django.core.mail.backends.console.EmailBackend",
        "gateway": "demo",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
    }


def test_tests_ignore_the_developers_broker_cache_and_mail_server():
    """`make test` gives one result whatever the environment holds (README's local additions)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(Path.home()),
        "GUILDHALL_TESTING": "1",
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    }
    code = (
        "import json, marketplace.settings as s; print(json.dumps({"
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
        "'cache': s.CACHES['default']['BACKEND'], 'mailer': s.MAILERS['default']['BACKEND']}))"
    )
    result = run_python(code, env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "eager": True,
        "broker": "",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "mailer": "django.core.mail.backends.console.EmailBackend",
    }


def test_eager_tasks_run_quietly_without_a_broker():
    """Loading the demo data ran a dozen tasks: each printed a line, the first a kombu warning."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(Path.home()),
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DJANGO_ENV": "",
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
    }
    code = (
        "import django; django.setup()\n"
        "from marketplace.celery import app\n"
        "@app.task(name='guildhall.ping')\n"
        "def ping(): return 'pong'\n"
        "print(ping.delay().get())\n"
    )
    result = run_python(code, env)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "pong\n"
    assert "No hostname was supplied" not in result.stderr
    assert "succeeded" not in result.stderr


def test_check_deploy_passes_without_warnings_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_env_example_documents_every_variable_settings_reads():
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (REPO / ".env.example").read_text(), re.M)
    )

    # docker compose reads .env too: its own ${NAME} variables may be documented there.
    compose_only = set(re.findall(r"\$\{(\w+)", (REPO / "docker-compose.yml").read_text()))

    assert settings_variables() - documented == set(), "add these to .env.example"
    assert documented - settings_variables() - compose_only == set(), "nothing reads these"


@pytest.mark.django_db
def test_csp_uses_a_nonce_and_never_unsafe_inline(client):
    response = client.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
    assert nonce is not None
    assert f'nonce="{nonce.group(1)}"' in response.content.decode()
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


PRODUCTION_PAGE = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
response = Client().get("/", HTTP_HOST="guildhall.example", secure=True)
print(json.dumps({
    "status": response.status_code,
    "policy": response.headers.get("Content-Security-Policy", ""),
    "hsts": response.headers.get("Strict-Transport-Security", ""),
    "body": response.content.decode(),
}))
"""


@pytest.mark.postgres
@pytest.mark.usefixtures("django_db_setup")
def test_production_page_has_a_nonce_csp_header_and_hashed_static_files(tmp_path):
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = production_env(DATABASE_URL=database_url, STATIC_ROOT=str(tmp_path / "static"))

    result = run_python(PRODUCTION_PAGE, env)

    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout.splitlines()[-1])
    assert page["status"] == 200
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", page["policy"])
    assert nonce is not None
    assert f'nonce="{nonce.group(1)}"' in page["body"]
    assert "unsafe-inline" not in page["policy"]
    # No development origins in production; the redirect to Stripe Checkout is allowed.
    assert "form-action 'self' https://checkout.stripe.com;" in page["policy"]
    assert page["hsts"] == "max-age=31536000; includeSubDomains; preload"
    # The manifest storage served a hashed stylesheet name (collectstatic worked).
    assert re.search(r'href="/static/css/app\.[0-9a-f]{12}\.css"', page["body"])


def test_production_with_only_a_broker_caches_in_the_brokers_redis_not_per_process():
    code = "import json, marketplace.settings as s; print(json.dumps(s.CACHES['default']))"
    result = run_python(code, production_env(REDIS_URL=""))

    assert result.returncode == 0, result.stderr
    cache = json.loads(result.stdout)
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/0"


def test_production_refuses_a_cache_that_is_not_redis():
    result = import_settings(production_env(REDIS_URL="memcached://127.0.0.1:11211"))

    assert result.returncode != 0
    assert "Production needs a shared Redis cache (REDIS_URL)." in result.stderr

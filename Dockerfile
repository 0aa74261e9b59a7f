# Guildhall for docker compose: one image for the web, worker and beat services.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from the lock file with hashes, so code changes reuse this layer.
# GNU gettext's msgfmt compiles the translations (the .mo files are built, not committed).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .

# Static files with hashed names, served by whitenoise. No secrets are needed to collect them.
RUN DEBUG=false STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput \
    && DEBUG=false python manage.py compilemessages --verbosity 0 \
    && useradd --system --uid 1000 --home-dir /app guildhall \
    && mkdir -p /data/media \
    && chown -R guildhall /data/media

USER guildhall
EXPOSE 8000

CMD ["gunicorn", "marketplace.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

# county-pavilion: one image for the web server (gunicorn), the Celery worker and beat.
# docker-compose.yml wires it to PostgreSQL, Redis and Elasticsearch. Only the runtime
# dependencies are installed: the embedded PostgreSQL and Redis of the dev extras are not.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    PAVILION_VAR_DIR=/app/var

WORKDIR /app

# Tibetan Machine Uni for 泽库's label sheets (supplychain/labels.py draws Chinese with
# reportlab's built-in CID font, Tibetan only from this file).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-tibetan-machine \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, from pyproject.toml alone, so that code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself (editable, so that BASE_DIR is /app for every entry point).
COPY . .
RUN pip install --no-deps -e .

# Static files are collected at build time and served by WhiteNoise. A DATABASE_URL is set
# for this step only so that the settings do not start the embedded PostgreSQL; nothing
# connects to it.
RUN DATABASE_URL=postgres://build@127.0.0.1:1/build SECRET_KEY=build-only \
    python manage.py collectstatic --noinput --verbosity 0

# Run as an unprivileged user that can write only var/ (media uploads, beat's schedule).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home app \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var
# Numeric, so that runtimes that require a non-root user can check it.
USER 10001:10001

EXPOSE 8000
# Workers, threads, timeouts and the access log: gunicorn.conf.py in /app.
CMD ["gunicorn", "config.wsgi:application"]

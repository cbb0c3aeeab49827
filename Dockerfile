# The production image: one image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=marketplace.settings.production \
    PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 1000 app
WORKDIR /app
COPY pyproject.toml README.md ./
COPY marketplace ./marketplace
COPY cms ./cms
COPY operators ./operators
COPY packages ./packages
COPY certifications ./certifications
RUN pip install .
COPY . .
# collectstatic needs settings to load; these throwaway values never reach a running container.
RUN SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))') \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 PRIVATE_MEDIA_ROOT=/app/private-media \
    STRIPE_SECRET_KEY=sk_build STRIPE_PUBLISHABLE_KEY=pk_build STRIPE_WEBHOOK_SECRET=whsec_build \
    python manage.py collectstatic --noinput
RUN mkdir -p /app/media /app/private-media && chown -R app /app/media /app/private-media
USER app
EXPOSE 8000
CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

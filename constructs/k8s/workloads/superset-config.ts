// Appended to the operator's generated superset_config.py in every Python component. The operator's
// CeleryConfig carries only broker/backend connectivity: the task modules are listed here.
export const baseConfig = `# TLS ends at the platform's entry point: trust X-Forwarded-* for scheme and host.
ENABLE_PROXY_FIX = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

CeleryConfig.imports = (
    "superset.sql_lab",
    "superset.tasks.scheduler",
    "superset.tasks.thumbnails",
    "superset.tasks.cache",
)
CeleryConfig.worker_prefetch_multiplier = 1
CeleryConfig.task_acks_late = False
`;

// Celery beat only: a schedule change rolls beat alone.
export const beatConfig = `from celery.schedules import crontab

CeleryConfig.beat_schedule = {
    "reports.scheduler": {
        "task": "reports.scheduler",
        "schedule": crontab(minute="*", hour="*"),
        "options": {"expires": 7 * 24 * 60 * 60},
    },
    "reports.prune_log": {
        "task": "reports.prune_log",
        "schedule": crontab(minute=0, hour=0),
    },
}
`;

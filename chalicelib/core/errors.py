"""Domain errors. One mapping turns them into REST responses and WebSocket ``error`` frames."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error a caller may see; carries status, code and a human message."""

    status = 500
    code = "internal_error"
    default_message = "Internal error"

    def __init__(self, message: str | None = None, **extra: Any) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.extra = extra
        self.headers: dict[str, str] = {}

    def with_headers(self, headers: dict[str, str]) -> AppError:
        """The same error with extra response headers (e.g. ``Retry-After``)."""
        self.headers = {**self.headers, **headers}
        return self

    def body(self) -> dict[str, Any]:
        """The ``{"error": {...}}`` body of the contract."""
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


class InternalError(AppError):
    """Anything unexpected: logged with a correlation id that the caller also sees."""

    def __init__(self, correlation_id: str) -> None:
        super().__init__("Internal error", correlation_id=correlation_id)


class ValidationFailed(AppError):
    status, code, default_message = 400, "validation_error", "Invalid input"


class InvalidCredentials(AppError):
    status, code, default_message = 401, "invalid_credentials", "Wrong username or password"


class Unauthorized(AppError):
    status, code, default_message = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    status, code, default_message = 403, "forbidden", "Not allowed"


class NotFound(AppError):
    status, code, default_message = 404, "not_found", "Not found"


class Conflict(AppError):
    status, code, default_message = 409, "conflict", "Conflict"


class TooLarge(AppError):
    status, code, default_message = 413, "too_large", "Too large"


class AccountLocked(AppError):
    status, code, default_message = 423, "account_locked", "Account locked"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            f"Too many failed logins; try again in {minutes} minute(s)", retry_after=retry_after
        )
        self.headers = {"Retry-After": str(retry_after)}


class RateLimited(AppError):
    status, code, default_message = 429, "rate_limited", "Too many requests"


class DirectoryUnavailable(AppError):
    status, code, default_message = 503, "directory_unavailable", "The directory (AD) is unavailable"


class Unavailable(AppError):
    status, code, default_message = 503, "unavailable", "Service temporarily unavailable"


THROTTLING_CODES = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
                    "TransactionConflictException", "SlowDown"}


def from_dependency_failure(exc: BaseException) -> AppError | None:
    """A DynamoDB/AWS failure as the contract's error: throttling → 429, unreachable → 503."""
    from botocore.exceptions import BotoCoreError, ClientError
    from pynamodb.exceptions import PynamoDBConnectionError, PynamoDBException

    seen: BaseException | None = exc
    while seen is not None:
        code = None
        if isinstance(seen, PynamoDBException):
            code = seen.cause_response_code
        elif isinstance(seen, ClientError):
            code = seen.response.get("Error", {}).get("Code")
        if code in THROTTLING_CODES:
            error = RateLimited("The service is busy; retry in a moment")
            error.headers = {"Retry-After": "1"}
            return error
        if isinstance(seen, (BotoCoreError, PynamoDBConnectionError)) and code is None:
            return Unavailable("A backing service is unreachable; retry in a moment")
        seen = seen.__cause__ or getattr(seen, "cause", None)
    return None


def to_app_error(exc: BaseException, **context: Any) -> AppError:
    """The one error path: any exception as the error a caller sees.

    Domain errors pass through; dependency failures become 429/503 (logged as warnings);
    anything else is logged with its stack and a correlation id and becomes ``internal_error``.
    ``context`` (path, frame type, connection id ...) goes on the log line.
    """
    import uuid

    from chalicelib.core.observability import logger

    if isinstance(exc, AppError):
        if exc.status >= 500:
            logger.warning("request failed", extra={"code": exc.code, **context})
        return exc
    mapped = from_dependency_failure(exc)
    if mapped is not None:
        logger.warning("dependency failure", extra={"code": mapped.code, "cause": type(exc).__name__, **context})
        return mapped
    correlation_id = str(uuid.uuid4())
    logger.exception("unhandled error", extra={"correlation_id": correlation_id, **context})
    return InternalError(correlation_id)

"""clause-audit's web face: a FastAPI app (`create_app`) over the same `clause_audit` audit the CLI runs."""

from api.app import create_app

__all__ = ["create_app"]

"""Configuration: one pydantic-settings model read from the environment or `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting GreenCheck reads; see `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", alias="TELEGRAM_API_BASE_URL"
    )
    telegram_file_base_url: str = Field(
        default="https://api.telegram.org/file/bot", alias="TELEGRAM_FILE_BASE_URL"
    )
    db: str = Field(default="./greencheck.db", alias="GREENCHECK_DB")
    # evidence files (content-addressed); default: `<db name>.files` next to GREENCHECK_DB
    files: str | None = Field(default=None, alias="GREENCHECK_FILES")
    max_file_mb: int = Field(default=20, ge=1, le=2000, alias="GREENCHECK_MAX_FILE_MB")
    backup_dir: str | None = Field(default=None, alias="GREENCHECK_BACKUP_DIR")  # daily backups
    backup_keep: int = Field(default=7, ge=1, le=365, alias="GREENCHECK_BACKUP_KEEP")
    program: str = Field(default="heyuan-2021", alias="GREENCHECK_PROGRAM")
    admins: Annotated[list[int], NoDecode] = Field(default=[], alias="GREENCHECK_ADMINS")
    tz: str = Field(default="Asia/Shanghai", alias="GREENCHECK_TZ")
    bot_username: str | None = Field(default=None, alias="GREENCHECK_BOT_USERNAME")
    invite_days: int = Field(default=7, ge=1, le=365, alias="GREENCHECK_INVITE_DAYS")
    rate_limit: bool = Field(default=True, alias="GREENCHECK_RATE_LIMIT")
    webhook_secret: SecretStr | None = Field(default=None, alias="GREENCHECK_WEBHOOK_SECRET")
    lang: Literal["zh", "en"] = Field(default="zh", alias="GREENCHECK_LANG")  # the CLI's language
    # the validated catalogue kept between runs (bot.catalog); empty turns it off
    cache: str | None = Field(default=None, alias="GREENCHECK_CACHE_DIR")

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, v: object) -> object:
        if isinstance(v, str):
            return [int(x) for x in v.replace(";", ",").split(",") if x.strip()]
        if isinstance(v, int):
            return [v]
        return v

    @field_validator("lang", mode="before")
    @classmethod
    def _lang_lower(cls, v: object) -> object:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("tz")
    @classmethod
    def _known_tz(cls, v: str) -> str:
        ZoneInfo(v)  # raises for an unknown zone
        return v

    @property
    def files_dir(self) -> Path:
        return Path(self.files) if self.files else Path(self.db).with_suffix(".files")

    @property
    def catalog_cache(self) -> Path | None:
        """Where the validated catalogue is kept: under the data directory (`.greencheck-cache`
        beside GREENCHECK_DB) unless GREENCHECK_CACHE_DIR says where; None: not kept."""
        if self.cache is not None:
            return Path(self.cache) if self.cache.strip() else None
        return Path(self.db).resolve().parent / ".greencheck-cache"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

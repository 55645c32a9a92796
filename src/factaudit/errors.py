"""Every error factaudit raises on purpose.

One root, so callers can catch everything the tool means to say with one ``except``::

    FactauditError
    ├── InputError                 the user's input cannot be audited
    │   ├── EmptyInputError            empty or whitespace-only
    │   ├── BinaryInputError           binary / undecodable bytes
    │   ├── InputTooLargeError         over the configured size cap
    │   ├── UnsupportedFormatError     a format we cannot read (e.g. a PDF with no text layer)
    │   └── UnsupportedLanguageError   detected language is not supported
    ├── FetchError                 a URL could not be fetched
    │   ├── BlockedURLError            scheme or address refused (private, loopback, file://...)
    │   └── FetchTimeoutError          time cap reached
    ├── PipelineError              a stage broke its contract (a bug, not bad input)
    ├── ModelError                 a model file is missing, corrupt or the wrong version
    ├── StoreError                 a store or index cannot be opened or written
    │   ├── DatabaseConnectionError    a database server unreachable or refusing the credentials
    │   └── ReviewConflictError        a review based on a version another reviewer replaced
    └── BatchError                 a batch run cannot continue (unreadable manifest, ...)

Every error carries a stable ``code`` (``FA1xx`` input, ``FA2xx`` fetch, ``FA3xx`` pipeline,
``FA4xx`` model, ``FA5xx`` store, ``FA6xx`` batch) and a one-line message meant for users;
the CLI prints ``error[CODE]: message`` and maps the class to an exit code (see ``exit_code``).
"""

from __future__ import annotations


class FactauditError(Exception):
    """Root of all errors factaudit raises on purpose."""

    code = "FA000"
    exit_code = 1

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class InputError(FactauditError):
    code = "FA100"
    exit_code = 3


class EmptyInputError(InputError):
    code = "FA101"


class BinaryInputError(InputError):
    code = "FA102"


class InputTooLargeError(InputError):
    code = "FA103"


class UnsupportedFormatError(InputError):
    code = "FA104"


class UnsupportedLanguageError(InputError):
    code = "FA105"


class FetchError(FactauditError):
    code = "FA200"
    exit_code = 4


class BlockedURLError(FetchError):
    code = "FA201"


class FetchTimeoutError(FetchError):
    code = "FA202"


class PipelineError(FactauditError):
    code = "FA300"
    exit_code = 70


class ModelError(FactauditError):
    code = "FA400"
    exit_code = 5


class StoreError(FactauditError):
    code = "FA500"
    exit_code = 6


class DatabaseConnectionError(StoreError):
    """The database server cannot be reached, or refuses the user name or password (the message
    never holds the password)."""

    code = "FA501"
    exit_code = 9


class ReviewConflictError(StoreError):
    """A review that names the version it was based on, when another reviewer stored one since."""

    code = "FA502"


class BatchError(FactauditError):
    code = "FA600"
    exit_code = 7


#: Documented process exit codes (also in the README and ``factaudit --help``).
EXIT_CODES: dict[int, str] = {
    0: "success (in batch mode: every article audited)",
    1: "unexpected internal error (a bug: please report it)",
    2: "usage error (bad option or argument)",
    3: "input error (empty, binary, too large, unsupported format or language)",
    4: "fetch error (unreachable or refused URL)",
    5: "model error",
    6: "store error",
    7: "batch error",
    8: "batch finished but some articles failed (see the error records)",
    9: "database unreachable or credentials refused (--database)",
    70: "pipeline contract error (a bug)",
}


def exit_code(exc: BaseException) -> int:
    """The process exit code for an exception."""
    if isinstance(exc, FactauditError):
        return exc.exit_code
    return 1

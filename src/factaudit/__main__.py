from .cli import run

if __name__ == "__main__":  # guarded: spawned worker processes re-import the main module
    run()

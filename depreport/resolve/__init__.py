"""Resolution: specifiers -> packages (npm, tsconfig paths, workspaces, Python), versions and owners."""

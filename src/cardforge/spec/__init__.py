"""Reading deck and theme files: YAML with positions, validated into typed specs."""

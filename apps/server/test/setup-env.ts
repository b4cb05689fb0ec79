// Tests never inherit a developer's DATA_DIR or mail settings.
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "silent";

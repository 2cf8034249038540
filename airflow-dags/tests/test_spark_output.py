from caudal_dags.spark import failure_reason, job_result


def test_the_last_json_line_is_the_result():
    lines = ["26/11/25 INFO SparkContext: Running", '{"table":"qoe_minute","compacted_partitions":2}',
             "26/11/25 INFO ShutdownHookManager: Deleting directory"]
    assert job_result(lines) == {"table": "qoe_minute", "compacted_partitions": 2}
    assert job_result(["no json here", "{not json}"]) is None


def test_the_jobs_own_message_is_the_reason():
    lines = ["26/11/25 WARN something", "caudal-transcode: junk.mp4: not a media file (Invalid data)", "exit"]
    assert failure_reason(lines, "Cannot execute: spark-submit") == "caudal-transcode: junk.mp4: not a media file (Invalid data)"


def test_without_a_job_message_the_reason_is_the_error_and_the_last_lines():
    lines = [f"line {i}" for i in range(20)]
    assert failure_reason(lines, "Cannot execute").splitlines() == ["Cannot execute"] + [f"line {i}" for i in range(10, 20)]

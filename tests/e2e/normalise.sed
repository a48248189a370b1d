# What varies from run to run in promise-run's output, made constant so
# that whole transcripts compare: the test folder, times, durations,
# dates, transaction ids, the host and the version.
s#/tmp/promise-run-e2e\.[A-Za-z0-9]*#/WORK#g
s/[0-9]\.[0-9]{3}s  /9.999s  /g
s/[0-9]\.[0-9]{3}s cpu  /9.999s cpu  /g
s/("cpu-time": )[0-9.]+/\1T/g
s/("memory-peak": )([0-9]+|null)/\1M/g
s/("(execution-time|duration)": )[0-9.]+/\1T/g
s/("(started|date)": ")[0-9T:+-]+"/\1DATE"/g
s/("transaction-id": ")[0-9]+-[0-9]{3}"/\1ID"/g
s/("host": ")[^"]*"/\1HOST"/
s/("version": ")[^"]*"/\1VERSION"/
s/(execution-time: )[0-9.]+/\1T/
s/( time=")[0-9.]+"/\1T"/g
s/( timestamp=")[0-9T:-]+"/\1DATE"/g
s/( hostname=")[^"]*"/\1HOST"/g
s/^(promise_run_build_info\{version=")[^"]*"/\1VERSION"/
s/^(promise_run_(run_start_timestamp_seconds|run_duration_seconds|last_success_timestamp_seconds|timestamp_seconds|duration_seconds|cpu_seconds)(\{[^}]*\})?) [0-9.]+$/\1 T/
s/=[0-9.]+s;;;0/=Ts;;;0/g
s/(Promise stopped after )[0-9.]+( seconds)/\1N\2/
/^promise_run_memory_peak_bytes\{/d
s/("containment": ")[a-z]+", "containment-reason": (null|"[^"]*")/\1C", "containment-reason": R/
s/^containment: .*/containment: C/
s/\x1e/<RS>/g

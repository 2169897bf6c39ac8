-- bench/auth.lua - wrk script: every request carries the API token from
-- the environment (never written to a file or the command line).
local token = os.getenv("ZB_BENCH_TOKEN")
if token == nil or token == "" then
  error("ZB_BENCH_TOKEN is not set")
end
wrk.headers["Authorization"] = "Bearer " .. token

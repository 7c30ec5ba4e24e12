-- wrk script for bench/http/run.sh: each request POSTs a small activity to /api/v1/activities
-- with the bearer token in $GMG_TOKEN (a bearer client needs no CSRF token). Titles differ per
-- thread and request so every write is a new row.
local token = os.getenv("GMG_TOKEN") or error("GMG_TOKEN is not set")
local n = 0
local tag = 0

function setup(thread)
  tag = tag + 1
  thread:set("tag", tag)
end

function request()
  n = n + 1
  local body = string.format(
    '{"organization_id":"ilo","titles":[{"lang":"en","text":"bench write %d-%d"}],' ..
    '"type":"technical_assistance","themes":["labour-migration"],"countries":["NP"],' ..
    '"status":2,"visibility":"public"}', tag or 0, n)
  return wrk.format("POST", "/api/v1/activities",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

-- wrk script for bench/http.sh: the bare echo route with a body of the
-- same size as a decision request, as the baseline decisions are compared to.
local body = '{"crossing":"TORKHAM","direction":"entry","padding":"' ..
  string.rep("x", 560) .. '"}'
function request()
  return wrk.format("POST", "/v1/echo",
    {["Content-Type"] = "application/json"}, body)
end

-- wrk script for bench/http.sh: POST /v1/decisions with a bearer token
-- (SARHAD_TOKEN), each request a different traveller (a fresh passport
-- number with correct ICAO 9303 check digits), so the ledger links and
-- records real, distinct crossings.
local token = os.getenv("SARHAD_TOKEN")
local counter = 0
local thread_id = 0

local function digit(s)
  local w, t = {7, 3, 1}, 0
  for i = 1, #s do
    local c = s:sub(i, i)
    local v
    if c == "<" then v = 0
    elseif c:match("%d") then v = tonumber(c)
    else v = c:byte() - 55 end
    t = t + v * w[(i - 1) % 3 + 1]
  end
  return tostring(t % 10)
end

local surnames = {"KHAN", "NOORI", "POPAL", "SAFI", "HOTAK", "ZADRAN",
  "KAKAR", "WAZIR", "AFRIDI", "MALIK", "QADRI", "SULTANI", "BARAKZAI",
  "ACHAKZAI", "SHINWARI", "MOHMAND", "WARDAK", "STANIKZAI", "DURRANI",
  "YUSUFZAI"}
local given = {"AMINA", "FATIMA", "ZAHRA", "MARYAM", "KHADIJA", "AISHA",
  "NAZIA", "SHABANA", "GULALAI", "MALALAI", "PARWANA", "NARGIS", "FARIBA",
  "HOMA", "LAILA", "ROYA", "SOMAYA", "TAHMINA", "ZARGHONA", "BIBI"}

-- The MRZ of passport num for a woman born on birth (YYMMDD).
local function td3(num, surname, name, birth)
  local l1 = ("P<AFG" .. surname .. "<<" .. name .. string.rep("<", 44)):sub(1, 44)
  local exp, opt = "300101", string.rep("<", 14)
  local l2 = num .. digit(num) .. "AFG" .. birth .. digit(birth) .. "F" ..
    exp .. digit(exp) .. opt .. digit(opt)
  local comp = num .. digit(num) .. birth .. digit(birth) .. exp ..
    digit(exp) .. opt .. digit(opt)
  return l1 .. "\\n" .. l2 .. digit(comp)
end

function setup(thread)
  thread:set("thread_id", math.random(1, 99999))
end

function request()
  counter = counter + 1
  local num = string.format("P%02d%06d", thread_id % 100, counter % 1000000)
  -- A different person each time: name and birth date vary, so the ledger
  -- does not link everyone to one traveller by name and birth date.
  local k = thread_id * 7919 + counter
  local year, month, day = 1950 + k % 50, 1 + k % 12, 1 + k % 28
  local body = '{"crossing":"TORKHAM","direction":"entry",' ..
    '"time":"2023-10-15T09:30:00+05:00","traveller":{"nationality":"AFG",' ..
    '"sex":"F","birth_date":"' .. string.format("%04d-%02d-%02d", year, month, day) ..
    '","purpose":"visit"},' ..
    '"documents":[{"kind":"passport","mrz":"' ..
    td3(num, surnames[1 + k % #surnames], given[1 + math.floor(k / #surnames) % #given],
        string.format("%02d%02d%02d", year % 100, month, day)) .. '"},' ..
    '{"kind":"tazkira","number":"1400-0101-' .. string.format("%05d", counter % 100000) .. '"}]}'
  return wrk.format("POST", "/v1/decisions",
    {["Authorization"] = "Bearer " .. token,
     ["Content-Type"] = "application/json"}, body)
end

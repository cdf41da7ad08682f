-- wrk script for bench/http.sh: POST /v1/decisions with a bearer token
-- (SARHAD_TOKEN), each request a different traveller (a fresh passport
-- number with correct ICAO 9303 check digits), so the ledger links and
-- records real, distinct crossings.
local token = os.getenv("SARHAD_TOKEN")
local counter = 0
local thread_id = 0

-- ICAO 9303 check digits, weights 7, 3, 1.  A check digit is a weighted
-- sum mod 10, so the sums of the parts that do not change between
-- requests are worked out once: this script shares the machine's two
-- cores with the server, and every microsecond it spends is one the
-- server does not get.
local weights = {7, 3, 1}
local function weighted(s, from)
  -- sum of s's characters weighted as if s began at position from + 1
  local t = 0
  for i = 1, #s do
    local b = s:byte(i)
    local v
    if b == 60 then v = 0 -- '<'
    elseif b <= 57 then v = b - 48
    else v = b - 55 end
    t = t + v * weights[(from + i - 1) % 3 + 1]
  end
  return t
end

local surnames = {"KHAN", "NOORI", "POPAL", "SAFI", "HOTAK", "ZADRAN",
  "KAKAR", "WAZIR", "AFRIDI", "MALIK", "QADRI", "SULTANI", "BARAKZAI",
  "ACHAKZAI", "SHINWARI", "MOHMAND", "WARDAK", "STANIKZAI", "DURRANI",
  "YUSUFZAI"}
local given = {"AMINA", "FATIMA", "ZAHRA", "MARYAM", "KHADIJA", "AISHA",
  "NAZIA", "SHABANA", "GULALAI", "MALALAI", "PARWANA", "NARGIS", "FARIBA",
  "HOMA", "LAILA", "ROYA", "SOMAYA", "TAHMINA", "ZARGHONA", "BIBI"}

-- The fixed tail of line 2 (expiry, sex-independent optional data) and
-- its share of the composite check digit.
local expiry, optional = "300101", string.rep("<", 14)
local expiry_d = tostring(weighted(expiry, 0) % 10)
local optional_d = tostring(weighted(optional, 0) % 10)
local tail = expiry .. expiry_d .. optional .. optional_d
local tail_sum = weighted(tail, 17)

-- Line 1 for each name, and each birth date's text, check digit and share
-- of the composite, made on first use.
local line1, births = {}, {}
local function name_line(si, gi)
  local key = si * 64 + gi
  local l = line1[key]
  if l == nil then
    l = ("P<AFG" .. surnames[si] .. "<<" .. given[gi] .. string.rep("<", 44)):sub(1, 44)
    line1[key] = l
  end
  return l
end
local function birth(year, month, day)
  local key = (year * 16 + month) * 32 + day
  local b = births[key]
  if b == nil then
    local yymmdd = string.format("%02d%02d%02d", year % 100, month, day)
    local d = tostring(weighted(yymmdd, 0) % 10)
    b = {iso = string.format("%04d-%02d-%02d", year, month, day),
         part = yymmdd .. d, sum = weighted(yymmdd .. d, 10)}
    births[key] = b
  end
  return b
end

-- The MRZ of passport num for a woman with the given name line and birth.
local function td3(num, l1, b)
  local num_d = tostring(weighted(num, 0) % 10)
  local comp = (weighted(num .. num_d, 0) + b.sum + tail_sum) % 10
  return l1 .. "\\n" .. num .. num_d .. "AFG" .. b.part .. "F" .. tail .. comp
end

local head -- the request line and headers, made once

function setup(thread)
  thread:set("thread_id", math.random(1, 99999))
end

function request()
  counter = counter + 1
  local num = string.format("P%02d%06d", thread_id % 100, counter % 1000000)
  -- A different person each time: name and birth date vary, so the ledger
  -- does not link everyone to one traveller by name and birth date.
  local k = thread_id * 7919 + counter
  local b = birth(1950 + k % 50, 1 + k % 12, 1 + k % 28)
  local body = '{"crossing":"TORKHAM","direction":"entry",' ..
    '"time":"2023-10-15T09:30:00+05:00","traveller":{"nationality":"AFG",' ..
    '"sex":"F","birth_date":"' .. b.iso .. '","purpose":"visit"},' ..
    '"documents":[{"kind":"passport","mrz":"' ..
    td3(num, name_line(1 + k % #surnames, 1 + math.floor(k / #surnames) % #given), b) ..
    '"},{"kind":"tazkira","number":"1400-0101-' ..
    string.format("%05d", counter % 100000) .. '"}]}'
  if head == nil then
    -- wrk.format without a body ends the headers with an empty line: keep
    -- all but that, and add the body's length to each request.
    head = wrk.format("POST", "/v1/decisions",
      {["Authorization"] = "Bearer " .. token,
       ["Content-Type"] = "application/json"}, nil)
    head = head:sub(1, -3) .. "Content-Length: "
  end
  return head .. #body .. "\r\n\r\n" .. body
end

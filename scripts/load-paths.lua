-- wrk script for scripts/load-bench.sh: each request asks for one of the library's plan
-- pages (`plan`) or indicator pages (`indicator`), chosen at random.
-- Arguments: KIND FIRST_PLAN LAST_PLAN INDICATOR
local paths = {}

function init(args)
  local kind, first, last, indicator = args[1], tonumber(args[2]), tonumber(args[3]), args[4]
  for id = first, last do
    if kind == "indicator" then
      paths[#paths + 1] = "/plans/" .. id .. "/indicators/" .. indicator
    else
      paths[#paths + 1] = "/plans/" .. id
    end
  end
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

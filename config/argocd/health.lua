-- Argo CD health check for the p3o-operator kinds (group governance.p3o.dev):
-- Office, Portfolio, Programme, Project and GatewayReview share this script.
-- It reads what the operator writes with kstatus semantics:
--   Progressing  no status yet, or status.observedGeneration behind
--                metadata.generation, or Reconciling=True (the figures are
--                not final), or Ready is Unknown or missing, or Ready=False
--                with reason ParentNotFound (it heals when the parent is
--                applied: apply order does not matter)
--   Degraded     Stalled=True (only a person can help; the message says
--                why), or Ready=False for any other reason
--   Healthy      Ready=True at the current generation
-- It uses only Lua's base library, so it runs in Argo CD's default sandbox.
-- config/argocd/argocd-cm-patch.yaml carries it for each kind; that file is
-- generated from this one and a test checks that they agree.

local function find(conditions, conditionType)
  for _, c in ipairs(conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function said(c)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return c.reason
end

local hs = {}
local status = obj.status
if status == nil or status.conditions == nil or #status.conditions == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the p3o-operator to report status"
  return hs
end

local generation = obj.metadata.generation
local observed = status.observedGeneration
if generation ~= nil and observed ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the p3o-operator to observe generation " .. tostring(generation) ..
    " (observed " .. tostring(observed or "none") .. ")"
  return hs
end

local stalled = find(status.conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = said(stalled)
  return hs
end

local reconciling = find(status.conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = said(reconciling)
  return hs
end

local ready = find(status.conditions, "Ready")
if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
elseif ready.status == "False" and ready.reason ~= "ParentNotFound" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = said(ready)
return hs

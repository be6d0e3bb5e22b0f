// The "context.*" host services: Toolbelt.ContextServiceClient's calls, answered by
// ContextService for the invocation's own account (never an account from the arguments).
//
//   context.createNamespace   {namespace, ttl?}                -> {name, createdAt, ttlSecond?}
//   context.deleteNamespace   {namespace}                      -> null
//   context.getListOfNamespaces {}                             -> [{name, createdAt, ttlSecond?}]
//   context.setProperties     {namespace, properties, sessionId?} -> properties   (merge)
//   context.getProperties     {namespace, names?, sessionId?}  -> {name: value}
//   context.getProperty       {namespace, name, sessionId?}    -> {found, value?}
//   context.deleteProperty    {namespace, name, sessionId?}    -> null
//   context.deleteSession     {namespace, sessionId}           -> null
//   context.getListOfSessions {namespace}                      -> [sessionId]
//
// Errors (HostResponse.errorCode): com.liveperson.faas.context.invalid-format (bad arguments),
// .not-found (no such namespace), .limit-exceeded (a size or count limit), .op-failed (other).
#pragma once

#include "control/context_service.h"
#include "runtime/host_services.h"

namespace parley::control {

runtime::HostResponse callContextService(ContextService& service,
                                         const runtime::InvocationContext& context,
                                         const runtime::HostRequest& request);

}  // namespace parley::control

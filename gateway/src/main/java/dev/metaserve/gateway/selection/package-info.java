/**
 * The selector in the gateway: a request's task profile, the candidates (live node x plan) for its model, the online
 * policy's choice among them, what was served fed back to the policy and the history store, and the model behind the
 * policy's priors, reloaded when its file changes.
 */
package dev.metaserve.gateway.selection;
